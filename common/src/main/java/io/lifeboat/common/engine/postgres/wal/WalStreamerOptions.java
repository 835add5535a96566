package io.lifeboat.common.engine.postgres.wal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link WalStreamer} runs.
 *
 * @param cluster the cluster name the archive is kept under
 * @param spoolDir local directory pg_receivewal writes into; keep it on a persistent volume: WAL the
 *     slot no longer retains lives only here until it is uploaded
 * @param slot the physical replication slot; created when missing
 * @param applicationName what pg_receivewal calls itself; put it in {@code synchronous_standby_names}
 *     for {@code synchronous}
 * @param synchronous run pg_receivewal {@code --synchronous} (flush and acknowledge every write)
 * @param pgBin directory of pg_receivewal, or null for the PATH
 * @param streamerId names this streamer in the status object and in {@code pg_stat_activity}
 * @param pollInterval how often the spool directory is looked at; defaults to 500 ms
 * @param partialInterval the longest time the archive's copy of the segment being written may lag
 *     behind the spool; defaults to 5 s
 * @param statusInterval how often the status object is written; defaults to 5 s
 */
public record WalStreamerOptions(
        String cluster,
        Path spoolDir,
        String slot,
        String applicationName,
        boolean synchronous,
        Path pgBin,
        String streamerId,
        Duration pollInterval,
        Duration partialInterval,
        Duration statusInterval) {

    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern APP = Pattern.compile("[A-Za-z0-9_.-]{1,63}");

    public WalStreamerOptions {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(spoolDir, "spoolDir");
        if (slot == null || !SLOT.matcher(slot).matches()) {
            throw new IllegalArgumentException("replication slot name '" + slot
                + "' must be 1 to 63 lower-case letters, digits or underscores");
        }
        if (applicationName == null || !APP.matcher(applicationName).matches()) {
            throw new IllegalArgumentException("application name '" + applicationName
                + "' must be 1 to 63 letters, digits, '_', '.' or '-'");
        }
        streamerId = streamerId == null ? "streamer" : streamerId;
        pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
        partialInterval = partialInterval == null ? Duration.ofSeconds(5) : partialInterval;
        statusInterval = statusInterval == null ? Duration.ofSeconds(5) : statusInterval;
        if (partialInterval.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("the partial segment must be uploaded at least every 5 s");
        }
    }

    /** Defaults for {@code cluster}: slot {@code lifeboat_<cluster>}, application name {@code lifeboat_wal}. */
    public static WalStreamerOptions defaults(String cluster, Path spoolDir) {
        return new WalStreamerOptions(cluster, spoolDir, defaultSlot(cluster), "lifeboat_wal", false, null, null,
            null, null, null);
    }

    /** {@code lifeboat_} plus the cluster name folded to what a slot name allows. */
    public static String defaultSlot(String cluster) {
        String s = "lifeboat_" + cluster.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    public WalStreamerOptions withSlot(String s) {
        return new WalStreamerOptions(cluster, spoolDir, s, applicationName, synchronous, pgBin, streamerId,
            pollInterval, partialInterval, statusInterval);
    }

    public WalStreamerOptions withApplicationName(String a) {
        return new WalStreamerOptions(cluster, spoolDir, slot, a, synchronous, pgBin, streamerId,
            pollInterval, partialInterval, statusInterval);
    }

    public WalStreamerOptions withSynchronous(boolean s) {
        return new WalStreamerOptions(cluster, spoolDir, slot, applicationName, s, pgBin, streamerId,
            pollInterval, partialInterval, statusInterval);
    }

    public WalStreamerOptions withPgBin(Path p) {
        return new WalStreamerOptions(cluster, spoolDir, slot, applicationName, synchronous, p, streamerId,
            pollInterval, partialInterval, statusInterval);
    }

    public WalStreamerOptions withStreamerId(String id) {
        return new WalStreamerOptions(cluster, spoolDir, slot, applicationName, synchronous, pgBin, id,
            pollInterval, partialInterval, statusInterval);
    }

    public WalStreamerOptions withIntervals(Duration poll, Duration partial, Duration status) {
        return new WalStreamerOptions(cluster, spoolDir, slot, applicationName, synchronous, pgBin, streamerId,
            poll, partial, status);
    }

    String tool(String name) {
        return pgBin == null ? name : pgBin.resolve(name).toString();
    }
}
