/**
 * The PostgreSQL WAL archive in a repository: complete segments, the streamer's in-progress
 * {@code .partial} segment, timeline history files and the streamer's status, each one object under
 * {@code wal/<cluster>/} (docs/repository-format.md, section 16), compressed and encrypted with the
 * repository's data key. {@link io.lifeboat.common.engine.postgres.wal.WalArchive} is the one entry
 * point: {@code archive_command} ({@code lifeboat wal-push}), {@code restore_command}
 * ({@code lifeboat wal-fetch}), the WAL streamer, chain verification and retention all go through it.
 */
package io.lifeboat.common.engine.postgres.wal;
