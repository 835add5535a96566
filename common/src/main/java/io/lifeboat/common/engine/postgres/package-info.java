/**
 * PostgreSQL logical backups: {@link io.lifeboat.common.engine.postgres.PostgresLogicalSource} streams
 * {@code pg_dump -Fc -Z0} of each database (taken in one exported snapshot whose per-table row counts and
 * checksums are recorded in {@code manifest.json}) and {@code pg_dumpall --globals-only} into a
 * snapshot; {@link io.lifeboat.common.engine.postgres.PostgresLogicalTarget} streams a dump back into
 * {@code pg_restore} and validates the restored tables against the recorded values. Passwords reach
 * the tools only through their environment, never their command line, a log or a manifest.
 */
package io.lifeboat.common.engine.postgres;
