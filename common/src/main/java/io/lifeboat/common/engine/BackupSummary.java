package io.lifeboat.common.engine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters of one backup run. Stored in the snapshot's summary (by {@link #toMap}) and shown to
 * the user.
 *
 * @param filesNew files not in the parent snapshot
 * @param filesChanged files in the parent whose metadata changed, so they were read again
 * @param filesUnmodified files whose content was reused from the parent without reading them
 * @param dirs directories stored
 * @param symlinks symlinks stored
 * @param bytesRead content bytes read from the source
 * @param bytesTotal logical size of everything in the snapshot (read or reused)
 * @param blobsAdded blobs that were new to the repository
 * @param bytesAdded plaintext bytes of those new blobs (data and trees), before compression
 * @param errors items that could not be read and are missing from the snapshot
 * @param warnings one line per warning (files that changed or vanished while read, special files
 *     skipped); capped, see {@link BackupCounters}
 * @param elapsed wall-clock time of the run
 */
public record BackupSummary(long filesNew, long filesChanged, long filesUnmodified, long dirs, long symlinks,
        long bytesRead, long bytesTotal, long blobsAdded, long bytesAdded, long errors, List<String> warnings,
        Duration elapsed) {

    public BackupSummary {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public long files() {
        return filesNew + filesChanged + filesUnmodified;
    }

    /** The counters as stored in a snapshot manifest's summary. */
    public Map<String, Long> toMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("files_new", filesNew);
        m.put("files_changed", filesChanged);
        m.put("files_unmodified", filesUnmodified);
        m.put("dirs", dirs);
        m.put("symlinks", symlinks);
        m.put("bytes_read", bytesRead);
        m.put("bytes_total", bytesTotal);
        m.put("blobs_added", blobsAdded);
        m.put("bytes_added", bytesAdded);
        m.put("errors", errors);
        m.put("warnings", (long) warnings.size());
        m.put("duration_ms", elapsed.toMillis());
        return m;
    }
}
