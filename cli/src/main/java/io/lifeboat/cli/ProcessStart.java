package io.lifeboat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * When this process started, to about 10 ms: restore commands count their RTO from it. The JDK's
 * {@code ProcessHandle.info().startInstant()} adds the start tick to the boot time, which Linux gives in
 * whole seconds, so it can be a second off; the age of the process from {@code /proc/self/stat} (start
 * tick) and {@code /proc/uptime} is not. The launcher script {@code exec}s the JVM, so its start counts.
 */
final class ProcessStart {
    /** Clock ticks per second of {@code /proc/self/stat}'s start time (USER_HZ: 100 on every Linux the CLI runs on). */
    static final long TICKS_PER_SECOND = 100;

    private ProcessStart() {
    }

    static Instant now() {
        Instant now = Instant.now();
        try {
            Optional<Instant> s = fromProc(Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII),
                Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII), now);
            if (s.isPresent()) {
                return s.get();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc unreadable: fall through
        }
        return ProcessHandle.current().info().startInstant().orElse(now);
    }

    /**
     * The start instant from the text of {@code /proc/self/stat} and {@code /proc/uptime} read at {@code now};
     * empty when either is malformed or gives a start in the future.
     */
    static Optional<Instant> fromProc(String stat, String uptime, Instant now) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        // After "pid (comm)" come the fields from the third (state) on; the start time is the 22nd.
        String[] f = stat.substring(close + 1).strip().split(" +");
        if (f.length < 20) {
            return Optional.empty();
        }
        String[] up = uptime.strip().split(" +");
        if (up.length == 0 || !up[0].matches("\\d{1,12}(\\.\\d{1,9})?") || !f[19].matches("\\d{1,15}")) {
            return Optional.empty();
        }
        long startMillis = Long.parseLong(f[19]) * (1000 / TICKS_PER_SECOND);
        long ageMillis = Math.round(Double.parseDouble(up[0]) * 1000) - startMillis;
        if (startMillis < 0 || ageMillis < 0) {
            return Optional.empty();
        }
        return Optional.of(now.minusMillis(ageMillis));
    }
}
