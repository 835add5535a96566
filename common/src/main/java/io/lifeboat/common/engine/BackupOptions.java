package io.lifeboat.common.engine;

import io.lifeboat.common.repository.Snapshot;
import java.util.List;
import java.util.Map;

/**
 * What every backup needs besides its source.
 *
 * @param hostname recorded in the snapshot
 * @param username recorded in the snapshot
 * @param tags user tags for the snapshot
 * @param labels extra engine-independent labels; never secrets
 * @param parent the snapshot to compare against, or null to let the source choose
 *     ({@code repository.latest(sourceType, paths)} for file trees)
 * @param noParent true to read everything, ignoring any parent
 * @param threads worker threads reading and storing content; at least 1
 */
public record BackupOptions(String hostname, String username, List<String> tags, Map<String, String> labels,
        Snapshot parent, boolean noParent, int threads) {

    public BackupOptions {
        hostname = hostname == null ? "" : hostname;
        username = username == null ? "" : username;
        tags = tags == null ? List.of() : List.copyOf(tags);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    /** Defaults: this host and user, no tags, parent chosen by the source, one thread per core. */
    public static BackupOptions defaults() {
        return new BackupOptions(HostInfo.hostname(), System.getProperty("user.name", ""), List.of(), Map.of(),
            null, false, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public BackupOptions withParent(Snapshot p) {
        return new BackupOptions(hostname, username, tags, labels, p, noParent, threads);
    }

    public BackupOptions withNoParent(boolean v) {
        return new BackupOptions(hostname, username, tags, labels, parent, v, threads);
    }

    public BackupOptions withTags(List<String> t) {
        return new BackupOptions(hostname, username, t, labels, parent, noParent, threads);
    }

    public BackupOptions withThreads(int n) {
        return new BackupOptions(hostname, username, tags, labels, parent, noParent, n);
    }

    public BackupOptions withHostname(String h) {
        return new BackupOptions(h, username, tags, labels, parent, noParent, threads);
    }
}
