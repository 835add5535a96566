package io.lifeboat.common.engine;

import io.lifeboat.common.repository.Snapshot;

/** A committed snapshot and the counters of the run that made it. */
public record BackupResult(Snapshot snapshot, BackupSummary summary) {
}
