package io.lifeboat.cli;

import io.lifeboat.common.engine.BackupOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Snapshot tags and storing threads; shared by the commands that back up one stream (backup-postgres, backup-postgres-base). */
final class StreamBackupOptions {
    @Option(names = "--tag", description = "Tag the snapshot (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--threads", description = "Threads storing chunks (default: one per core, at least 2).")
    Integer threads;

    BackupOptions options() {
        BackupOptions options = BackupOptions.defaults().withTags(tags);
        return threads != null ? options.withThreads(threads) : options;
    }
}
