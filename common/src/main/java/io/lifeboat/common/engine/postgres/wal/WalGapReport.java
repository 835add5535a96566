package io.lifeboat.common.engine.postgres.wal;

import java.util.List;

/**
 * The result of {@link WalArchive#verify()}: per timeline the range of complete segments held, the
 * holes in it, and problems with the timeline history. Segments before the first one held are not
 * gaps (retention removes them); only what is missing between segments recovery would read is.
 *
 * @param cluster the cluster
 * @param timelines what each timeline holds, lowest timeline first
 * @param gaps every missing run of segments, by timeline then position
 * @param problems other defects, one readable line each (a missing or unparsable history file)
 */
public record WalGapReport(String cluster, List<Timeline> timelines, List<Gap> gaps, List<String> problems) {
    public WalGapReport {
        timelines = List.copyOf(timelines);
        gaps = List.copyOf(gaps);
        problems = List.copyOf(problems);
    }

    /**
     * One timeline's holdings.
     *
     * @param timeline the timeline
     * @param firstSegment the lowest complete segment, or null if none
     * @param lastSegment the highest complete segment, or null if none
     * @param segments how many complete segments
     * @param partial the name of a {@code .partial} segment held for this timeline, or null
     * @param parent the parent timeline from the history file, or 0 for none (timeline 1, or no history)
     * @param switchPoint where this timeline branched off its parent, {@code X/Y}, or null
     */
    public record Timeline(int timeline, String firstSegment, String lastSegment, long segments, String partial, int parent,
            String switchPoint) {
    }

    /**
     * A run of missing segments.
     *
     * @param timeline the timeline they are missing on
     * @param firstMissing the first missing segment name
     * @param lastMissing the last missing segment name
     * @param count how many
     */
    public record Gap(int timeline, String firstMissing, String lastMissing, long count) {
    }

    /** True when nothing is missing. */
    public boolean ok() {
        return gaps.isEmpty() && problems.isEmpty();
    }
}
