package io.lifeboat.common.engine.postgres.wal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed timeline history file ({@code TTTTTTTT.history}): one line per ancestor timeline,
 * {@code <parent tli>\t<switch point LSN>\t<reason>}, oldest first. The last line names the direct
 * parent and the position where {@link #timeline()} branched off it.
 *
 * @param timeline the timeline the file belongs to
 * @param entries ancestors, oldest first
 */
public record TimelineHistory(int timeline, List<Entry> entries) {
    /**
     * One ancestor.
     *
     * @param parent the ancestor timeline
     * @param switchPoint where the next timeline branched off it (the first position not on it)
     * @param reason PostgreSQL's free text
     */
    public record Entry(int parent, Lsn switchPoint, String reason) {
    }

    public TimelineHistory {
        entries = List.copyOf(entries);
    }

    /**
     * Parses a history file's bytes.
     *
     * @throws IllegalArgumentException if a line does not parse or the ancestors are not increasing
     */
    public static TimelineHistory parse(int timeline, byte[] content) {
        List<Entry> entries = new ArrayList<>();
        String text = new String(content, StandardCharsets.UTF_8);
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+", 3);
            if (f.length < 2) {
                throw new IllegalArgumentException("history file of timeline " + timeline + ", line " + lineNo + ": expected '<tli> <lsn> <reason>'");
            }
            int parent;
            try {
                parent = Integer.parseInt(f[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("history file of timeline " + timeline + ", line " + lineNo + ": invalid timeline id");
            }
            if (parent < 1 || parent >= timeline || (!entries.isEmpty() && parent <= entries.get(entries.size() - 1).parent())) {
                throw new IllegalArgumentException("history file of timeline " + timeline + ", line " + lineNo + ": timeline ids must increase and stay below " + timeline);
            }
            entries.add(new Entry(parent, Lsn.parse(f[1]), f.length > 2 ? f[2] : ""));
        }
        return new TimelineHistory(timeline, entries);
    }

    /** The direct parent, or null for a history without entries. */
    public Entry parent() {
        return entries.isEmpty() ? null : entries.get(entries.size() - 1);
    }
}
