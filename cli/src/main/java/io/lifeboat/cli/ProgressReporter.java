package io.lifeboat.cli;

import io.lifeboat.common.engine.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows progress on standard error: a bar with rate and ETA on a terminal, a plain line every ten
 * seconds otherwise (logs, CI), nothing when quiet. Thread-safe: engines call it from workers.
 */
final class ProgressReporter implements ProgressListener, AutoCloseable {
    private static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;

    private final String task;
    private final PrintStream err;
    private final ProgressBar bar;
    private final boolean plain;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong totalBytes = new AtomicLong(-1);
    private final AtomicLong totalFiles = new AtomicLong(-1);
    private final AtomicLong lastPrint = new AtomicLong(System.nanoTime());
    private final AtomicReference<String> current = new AtomicReference<>("");
    private final long start = System.nanoTime();

    private ProgressReporter(String task, PrintStream err, boolean terminal, boolean quiet) {
        this.task = task;
        this.err = err;
        this.plain = !terminal && !quiet;
        this.bar = terminal && !quiet ? new ProgressBarBuilder().setTaskName(task).setInitialMax(-1)
            .setStyle(ProgressBarStyle.ASCII).setUnit(" MiB", 1024 * 1024).showSpeed()
            .setUpdateIntervalMillis(250).continuousUpdate()
            .setConsumer(new ConsoleProgressBarConsumer(err)).build() : null;
    }

    static ProgressReporter create(String task, PrintStream err, boolean quiet) {
        return new ProgressReporter(task, err, Terminal.interactiveConsole() != null, quiet);
    }

    /**
     * At once for the bar; for plain lines half an interval before the first one is due, so a run
     * shorter than that is not slowed by a count nobody reads; never when quiet.
     */
    @Override
    public Duration totalsWantedAfter() {
        if (bar != null) {
            return Duration.ZERO;
        }
        return plain ? Duration.ofNanos(PLAIN_INTERVAL_NANOS / 2) : null;
    }

    @Override
    public void totals(long fileCount, long byteCount) {
        totalFiles.set(fileCount);
        totalBytes.set(byteCount);
        if (bar != null) {
            bar.maxHint(byteCount);
        }
    }

    @Override
    public void itemStarted(String path) {
        current.set(path);
    }

    @Override
    public void bytesProcessed(long n) {
        long b = bytes.addAndGet(n);
        if (bar != null) {
            bar.stepTo(b);
        }
        maybePrint();
    }

    @Override
    public void itemDone(String path, long size, boolean read) {
        long f = files.incrementAndGet();
        if (bar != null) {
            long t = totalFiles.get();
            bar.setExtraMessage(" " + f + (t >= 0 ? "/" + t : "") + " files " + shorten(current.get()));
        }
        maybePrint();
    }

    @Override
    public void warning(String message) {
        print("warning: " + message);
    }

    @Override
    public void error(String message) {
        print("error: " + message);
    }

    private void print(String line) {
        if (bar != null) {
            synchronized (this) {
                err.print("\r\033[K");
                err.println(line);
            }
        } else {
            err.println(line);
        }
    }

    private void maybePrint() {
        if (!plain) {
            return;
        }
        long now = System.nanoTime();
        long last = lastPrint.get();
        if (now - last >= PLAIN_INTERVAL_NANOS && lastPrint.compareAndSet(last, now)) {
            long b = bytes.get();
            double secs = (now - start) / 1e9;
            long tb = totalBytes.get();
            String eta = "";
            if (tb > 0 && b > 0) {
                eta = ", ETA " + Format.duration((long) ((tb - b) / (b / secs)));
            }
            err.println(task + ": " + files.get() + (totalFiles.get() >= 0 ? "/" + totalFiles.get() : "")
                + " files, " + Format.bytes(b) + (tb >= 0 ? "/" + Format.bytes(tb) : "") + ", "
                + Format.bytes((long) (b / Math.max(secs, 0.001))) + "/s" + eta);
        }
    }

    private static String shorten(String path) {
        return path.length() <= 40 ? path : "..." + path.substring(path.length() - 37);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
