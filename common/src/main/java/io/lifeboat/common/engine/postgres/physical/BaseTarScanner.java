package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.engine.postgres.wal.Lsn;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches the tar stream of {@code pg_basebackup -Ft -D -} as it passes through, and keeps the two
 * members that say what the backup is: {@code backup_label} (start LSN and timeline) and the tail of
 * {@code backup_manifest} (its {@code WAL-Ranges}: the end LSN). pg_basebackup prints neither position
 * with {@code -X none}, so the stream itself is the one source that works in every mode.
 *
 * <p>Parsing: 512-byte ustar headers, octal or base-256 sizes, content padded to 512 bytes. Malformed
 * input never fails the read: the scanner stops looking (the data passes on unchanged) and the
 * accessors then return empty, which the backup reports as an error before committing.
 *
 * <p>Not thread-safe.
 */
final class BaseTarScanner extends FilterInputStream {
    static final int MAX_LABEL = 64 * 1024;
    static final int MANIFEST_TAIL = 64 * 1024;
    private static final Pattern START = Pattern.compile("START WAL LOCATION: ([0-9A-F]+/[0-9A-F]+)");
    private static final Pattern TIMELINE = Pattern.compile("START TIMELINE: (\\d+)");
    private static final Pattern RANGE_END = Pattern.compile("\"End-LSN\"\\s*:\\s*\"([0-9A-F]+/[0-9A-F]+)\"");
    private static final Pattern RANGE_TLI = Pattern.compile("\"Timeline\"\\s*:\\s*(\\d+)");

    private final byte[] header = new byte[512];
    private int headerFill;
    private long contentLeft;
    private long padLeft;
    private boolean broken;
    private Member current = Member.OTHER;
    private final ByteArrayOutputStream label = new ByteArrayOutputStream();
    private final byte[] manifestTail = new byte[MANIFEST_TAIL];
    private long manifestWritten;
    private boolean sawLabel;
    private boolean sawManifest;

    private enum Member { OTHER, LABEL, MANIFEST }

    BaseTarScanner(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            feed(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            feed(b, off, n);
        }
        return n;
    }

    /** Feeds bytes as they passed (exposed for tests). */
    void feed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && !broken) {
            if (contentLeft > 0) {
                int n = (int) Math.min(contentLeft, end - i);
                keep(b, i, n);
                contentLeft -= n;
                i += n;
            } else if (padLeft > 0) {
                int n = (int) Math.min(padLeft, end - i);
                padLeft -= n;
                i += n;
            } else {
                int n = Math.min(512 - headerFill, end - i);
                System.arraycopy(b, i, header, headerFill, n);
                headerFill += n;
                i += n;
                if (headerFill == 512) {
                    headerFill = 0;
                    parseHeader();
                }
            }
        }
    }

    private void parseHeader() {
        if (UstarFields.isZero(header)) {
            current = Member.OTHER;
            return;
        }
        if (!UstarFields.checksumOk(header, false)) {
            broken = true;
            return;
        }
        long size = size();
        if (size < 0) {
            broken = true;
            return;
        }
        String name = field(0, 100);
        String prefix = field(345, 155);
        byte type = header[156];
        boolean regular = type == '0' || type == 0;
        current = !regular || !prefix.isEmpty() ? Member.OTHER
            : name.equals("backup_label") ? Member.LABEL : name.equals("backup_manifest") ? Member.MANIFEST : Member.OTHER;
        if (current == Member.LABEL) {
            sawLabel = true;
        } else if (current == Member.MANIFEST) {
            sawManifest = true;
        }
        contentLeft = size;
        padLeft = (512 - size % 512) % 512;
    }

    private void keep(byte[] b, int off, int n) {
        if (current == Member.LABEL) {
            int room = MAX_LABEL - label.size();
            label.write(b, off, Math.max(0, Math.min(room, n)));
        } else if (current == Member.MANIFEST) {
            for (int k = 0; k < n; k++) {
                manifestTail[(int) (manifestWritten++ % MANIFEST_TAIL)] = b[off + k];
            }
        }
    }

    private long size() {
        return UstarFields.size(header);
    }

    private long octal(int off, int len) {
        return UstarFields.octal(header, off, len);
    }

    private String field(int off, int len) {
        int n = 0;
        while (n < len && header[off + n] != 0) {
            n++;
        }
        return new String(header, off, n, StandardCharsets.UTF_8);
    }

    /** The start position, from {@code backup_label}. */
    Optional<Lsn> startLsn() {
        return find(START, labelText()).map(Lsn::parse);
    }

    /** The start timeline, from {@code backup_label}. */
    Optional<Integer> timeline() {
        return find(TIMELINE, labelText()).map(Integer::parseInt);
    }

    /** The end position: the last {@code End-LSN} of the manifest's {@code WAL-Ranges}. */
    Optional<Lsn> stopLsn() {
        String tail = manifestText();
        int ranges = tail.lastIndexOf("\"WAL-Ranges\"");
        if (ranges < 0) {
            return Optional.empty();
        }
        Matcher m = RANGE_END.matcher(tail.substring(ranges));
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return Optional.ofNullable(last).map(Lsn::parse);
    }

    /** The timeline of the manifest's last WAL range (the one the backup ended on). */
    Optional<Integer> stopTimeline() {
        String tail = manifestText();
        int ranges = tail.lastIndexOf("\"WAL-Ranges\"");
        if (ranges < 0) {
            return Optional.empty();
        }
        Matcher m = RANGE_TLI.matcher(tail.substring(ranges));
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return Optional.ofNullable(last).map(Integer::parseInt);
    }

    boolean sawLabel() {
        return sawLabel && !broken;
    }

    boolean sawManifest() {
        return sawManifest && !broken;
    }

    private String labelText() {
        return sawLabel() ? label.toString(StandardCharsets.UTF_8) : "";
    }

    private String manifestText() {
        if (!sawManifest()) {
            return "";
        }
        int len = (int) Math.min(manifestWritten, MANIFEST_TAIL);
        byte[] out = new byte[len];
        for (int k = 0; k < len; k++) {
            out[k] = manifestTail[(int) ((manifestWritten - len + k) % MANIFEST_TAIL)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static Optional<String> find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
