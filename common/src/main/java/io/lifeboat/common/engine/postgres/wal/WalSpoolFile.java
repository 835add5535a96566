package io.lifeboat.common.engine.postgres.wal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file pg_receivewal leaves in its directory: a completed segment ({@code 000000010000000A0000003F}),
 * the segment being written ({@code ...3F.partial}) or a timeline history file ({@code 00000002.history}).
 * Anything else (temporary files, compressed segments) is not one of these and is left alone.
 *
 * @param name the file name
 * @param kind what it is
 * @param timeline the timeline the file belongs to
 * @param segmentNumber the segment's number (LSN / segment size); 0 for a history file
 */
public record WalSpoolFile(String name, Kind kind, int timeline, long segmentNumber) implements Comparable<WalSpoolFile> {

    /** What a spool file is. */
    public enum Kind { SEGMENT, PARTIAL, HISTORY }

    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})(\\.partial)?");
    private static final Pattern HISTORY = Pattern.compile("([0-9A-F]{8})\\.history");

    /** Recognizes a spool file name; empty for any other name. */
    public static Optional<WalSpoolFile> parse(String name) {
        Matcher m = SEGMENT.matcher(name);
        if (m.matches()) {
            int tli = Integer.parseUnsignedInt(m.group(1), 16);
            long log = Long.parseLong(m.group(2), 16);
            long seg = Long.parseLong(m.group(3), 16);
            if (tli == 0) {
                return Optional.empty();
            }
            // The low part counts segments within one 4 GiB "log"; with 16 MiB segments it stays below 0x100,
            // with the largest (1 GiB) below 4. The segment number needs the segment size, so keep both parts.
            return Optional.of(new WalSpoolFile(name, m.group(4) == null ? Kind.SEGMENT : Kind.PARTIAL, tli,
                (log << 32) | seg));
        }
        m = HISTORY.matcher(name);
        if (m.matches()) {
            int tli = Integer.parseUnsignedInt(m.group(1), 16);
            return tli == 0 ? Optional.empty() : Optional.of(new WalSpoolFile(name, Kind.HISTORY, tli, 0));
        }
        return Optional.empty();
    }

    /** The segment's name without {@code .partial}; the history file's own name. */
    public String segmentName() {
        return kind == Kind.PARTIAL ? name.substring(0, name.length() - ".partial".length()) : name;
    }

    /** The LSN where this segment starts, for a segment of {@code segmentSize} bytes. */
    public long startLsn(long segmentSize) {
        long log = segmentNumber >>> 32;
        long seg = segmentNumber & 0xFFFFFFFFL;
        return log * 0x1_0000_0000L + seg * segmentSize;
    }

    /** The WAL file name of the segment holding {@code lsn} on {@code timeline}. */
    public static String segmentNameFor(int timeline, long lsn, long segmentSize) {
        long segsPerLog = 0x1_0000_0000L / segmentSize;
        long segNo = Long.divideUnsigned(lsn, segmentSize);
        return String.format(Locale.ROOT, "%08X%08X%08X", timeline, segNo / segsPerLog, segNo % segsPerLog);
    }

    /** Order of streaming: by timeline, then position; history files of a timeline come first. */
    @Override
    public int compareTo(WalSpoolFile o) {
        if (timeline != o.timeline) {
            return Integer.compare(timeline, o.timeline);
        }
        if (kind == Kind.HISTORY || o.kind == Kind.HISTORY) {
            return kind == o.kind ? 0 : kind == Kind.HISTORY ? -1 : 1;
        }
        int c = Long.compareUnsigned(segmentNumber, o.segmentNumber);
        return c != 0 ? c : Boolean.compare(kind == Kind.PARTIAL, o.kind == Kind.PARTIAL);
    }
}
