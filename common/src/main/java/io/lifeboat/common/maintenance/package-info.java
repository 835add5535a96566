/**
 * Repository maintenance: {@link io.lifeboat.common.maintenance.Maintenance#forget forget}
 * removes snapshot manifests (never a held one) and journals it; {@link
 * io.lifeboat.common.maintenance.Prune} frees the space of unreferenced blobs in two phases
 * separated by a grace period, so backups running concurrently never lose a blob they
 * deduplicated against; {@link io.lifeboat.common.maintenance.MaintenanceLease} makes sure only
 * one maintenance run works on a repository at a time, on stores without conditional writes.
 * The design is in {@code docs/design/prune.md}, the objects in {@code docs/repository-format.md}
 * sections 13 and 14.
 */
package io.lifeboat.common.maintenance;
