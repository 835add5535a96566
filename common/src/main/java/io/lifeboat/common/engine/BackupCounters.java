package io.lifeboat.common.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread-safe counters a source fills while it runs, turned into a {@link BackupSummary} at the end.
 * Keeps the first {@value #MAX_WARNINGS} warnings; later ones are only counted.
 */
public final class BackupCounters {
    static final int MAX_WARNINGS = 1000;

    public final AtomicLong filesNew = new AtomicLong();
    public final AtomicLong filesChanged = new AtomicLong();
    public final AtomicLong filesUnmodified = new AtomicLong();
    public final AtomicLong dirs = new AtomicLong();
    public final AtomicLong symlinks = new AtomicLong();
    public final AtomicLong bytesRead = new AtomicLong();
    public final AtomicLong bytesTotal = new AtomicLong();
    public final AtomicLong blobsAdded = new AtomicLong();
    public final AtomicLong bytesAdded = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();
    private final List<String> warnings = new ArrayList<>();
    private long droppedWarnings;
    private final long startNanos = System.nanoTime();

    public synchronized void warn(String message) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(message);
        } else {
            droppedWarnings++;
        }
    }

    /** Records that a blob of {@code length} plaintext bytes was saved, if it was new. */
    public void blobSaved(boolean added, int length) {
        if (added) {
            blobsAdded.incrementAndGet();
            bytesAdded.addAndGet(length);
        }
    }

    public synchronized BackupSummary summary() {
        List<String> w = new ArrayList<>(warnings);
        if (droppedWarnings > 0) {
            w.add("... and " + droppedWarnings + " more warnings");
        }
        return new BackupSummary(filesNew.get(), filesChanged.get(), filesUnmodified.get(), dirs.get(),
            symlinks.get(), bytesRead.get(), bytesTotal.get(), blobsAdded.get(), bytesAdded.get(), errors.get(), w,
            Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
