/**
 * PostgreSQL physical backups and point-in-time recovery: {@code pg_basebackup} streamed into a
 * snapshot ({@link io.lifeboat.common.engine.postgres.physical.PostgresBaseBackupSource}), recovery of a
 * base backup plus the cluster's WAL archive into a new data directory up to a target
 * ({@link io.lifeboat.common.engine.postgres.physical.PointInTimeRestore}), and single tables brought back
 * from a point in time into a live database
 * ({@link io.lifeboat.common.engine.postgres.physical.TablesAtPointInTime}). The WAL itself lives in
 * {@link io.lifeboat.common.engine.postgres.wal}.
 */
package io.lifeboat.common.engine.postgres.physical;
