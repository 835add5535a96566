package io.lifeboat.common.engine.postgres.wal;

import java.util.regex.Pattern;

/**
 * PostgreSQL's WAL file names: segments {@code TTTTTTTTXXXXXXXXYYYYYYYY} (timeline, then the segment
 * number split into "log id" and "segment within the log id"), timeline history files
 * {@code TTTTTTTT.history}, backup-history files {@code <segment>.<offset 8 hex>.backup} and
 * {@code <segment>.partial}. Names are upper-case hex, as PostgreSQL writes them.
 */
public final class WalNames {
    /** PostgreSQL's default and most common segment size, 16 MiB. */
    public static final long DEFAULT_SEGMENT_SIZE = 16L * 1024 * 1024;

    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
    private static final Pattern HISTORY = Pattern.compile("[0-9A-F]{8}\\.history");
    private static final Pattern BACKUP = Pattern.compile("[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup");
    private static final Pattern PARTIAL = Pattern.compile("[0-9A-F]{24}\\.partial");

    /** What a WAL file name names. */
    public enum Kind {
        SEGMENT, PARTIAL, HISTORY, BACKUP_LABEL
    }

    private WalNames() {
    }

    /** The kind of a file name, or null if PostgreSQL would not archive a file of that name. */
    public static Kind kindOf(String fileName) {
        if (fileName == null) {
            return null;
        }
        if (SEGMENT.matcher(fileName).matches()) {
            return Kind.SEGMENT;
        }
        if (PARTIAL.matcher(fileName).matches()) {
            return Kind.PARTIAL;
        }
        if (HISTORY.matcher(fileName).matches()) {
            return Kind.HISTORY;
        }
        if (BACKUP.matcher(fileName).matches()) {
            return Kind.BACKUP_LABEL;
        }
        return null;
    }

    /** Like {@link #kindOf} but fails on a name PostgreSQL would not archive. */
    public static Kind requireKind(String fileName) {
        Kind k = kindOf(fileName);
        if (k == null) {
            throw new IllegalArgumentException("'" + fileName + "' is not a WAL segment, .partial, .history or .backup file name");
        }
        return k;
    }

    /** True for a plain 24-hex segment name. */
    public static boolean isSegment(String name) {
        return name != null && SEGMENT.matcher(name).matches();
    }

    /** The timeline a segment, partial, backup-history or timeline-history file name carries. */
    public static int timelineOf(String fileName) {
        requireKind(fileName);
        long tli = Long.parseLong(fileName.substring(0, 8), 16);
        if (tli < 1) {
            throw new IllegalArgumentException("'" + fileName + "' names timeline 0, which does not exist");
        }
        return (int) tli;
    }

    /** The 24-hex segment a segment, partial or backup-history file name belongs to. */
    public static String segmentOf(String fileName) {
        Kind k = requireKind(fileName);
        if (k == Kind.HISTORY) {
            throw new IllegalArgumentException("'" + fileName + "' is a timeline history file, not of a segment");
        }
        return fileName.substring(0, 24);
    }

    /** The segment number (position in the WAL independent of timeline) of a segment name. */
    public static long segmentNumber(String segment, long segmentSize) {
        if (!isSegment(segment)) {
            throw new IllegalArgumentException("'" + segment + "' is not a WAL segment name");
        }
        long logId = Long.parseLong(segment.substring(8, 16), 16);
        long seg = Long.parseLong(segment.substring(16, 24), 16);
        long perLogId = segmentsPerLogId(segmentSize);
        if (seg >= perLogId) {
            throw new IllegalArgumentException("'" + segment + "' is not a valid segment name for " + segmentSize + "-byte segments");
        }
        return logId * perLogId + seg;
    }

    /** The name of segment number {@code number} on {@code timeline}. */
    public static String segmentName(int timeline, long number, long segmentSize) {
        long perLogId = segmentsPerLogId(segmentSize);
        return String.format("%08X%08X%08X", timeline, number / perLogId, number % perLogId);
    }

    /** The name of the segment holding {@code lsn} on {@code timeline}. */
    public static String segmentName(int timeline, Lsn lsn, long segmentSize) {
        return segmentName(timeline, lsn.segmentNumber(segmentSize), segmentSize);
    }

    /** The name of a timeline's history file. */
    public static String historyName(int timeline) {
        return String.format("%08X.history", timeline);
    }

    /** Checks a WAL segment size: a power of two from 1 MiB to 1 GiB, as initdb allows. */
    public static long checkSegmentSize(long segmentSize) {
        if (segmentSize < (1 << 20) || segmentSize > (1L << 30) || Long.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException("invalid WAL segment size " + segmentSize + ": a power of two from 1 MiB to 1 GiB");
        }
        return segmentSize;
    }

    private static long segmentsPerLogId(long segmentSize) {
        return 0x100000000L / checkSegmentSize(segmentSize);
    }
}
