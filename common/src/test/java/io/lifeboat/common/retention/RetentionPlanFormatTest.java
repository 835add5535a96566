package io.lifeboat.common.retention;

import static io.lifeboat.common.retention.RetentionFixtures.BERLIN;
import static io.lifeboat.common.retention.RetentionFixtures.snap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionPlanFormatTest {
    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
    private static final SnapshotRef NEWEST = snap("2026-10-25T02:45+01:00");
    private static final SnapshotRef EARLIER = snap("2026-10-25T02:45+02:00", "legal");
    private static final SnapshotRef OLDEST = snap("2026-10-24T12:00+02:00");

    private static RetentionPlan plan() {
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(1).zone(BERLIN).build();
        return RetentionEvaluator.evaluate(List.of(OLDEST, NEWEST, EARLIER), policy,
            Set.of(Hold.onTag("LEGAL-42", "legal", "case", "alice", NOW)), NOW);
    }

    @Test
    void theTableShowsLocalTimesWithOffsetsActionsReasonsAndCounts() {
        String table = RetentionPlanFormat.table(plan());

        assertThat(table).isEqualTo(String.join("\n",
            "policy: keep the 1 newest (periods in Europe/Berlin, ISO weeks; per host, type, paths)",
            "",
            "group host=db1 type=files paths=[/srv]",
            "ID        TIME (Europe/Berlin)       ACTION  REASONS",
            NEWEST.shortId() + "  2026-10-25 02:45:00 +01:00  keep    last 1",
            EARLIER.shortId() + "  2026-10-25 02:45:00 +02:00  keep    hold LEGAL-42 (by tag legal)",
            OLDEST.shortId() + "  2026-10-24 12:00:00 +02:00  forget  ",
            "keep 2, forget 1",
            "",
            "total: keep 2, forget 1",
            ""));
    }

    @Test
    void theJsonCarriesEveryDecisionAndReason() throws Exception {
        JsonNode root = new ObjectMapper().readTree(RetentionPlanFormat.json(plan()));

        assertThat(root.get("keep").asLong()).isEqualTo(2);
        assertThat(root.get("forget").asLong()).isEqualTo(1);
        assertThat(root.get("now").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(root.at("/policy/flags/0").asText()).isEqualTo("--keep-last");
        JsonNode group = root.at("/groups/0");
        assertThat(group.at("/group/hostname").asText()).isEqualTo("db1");
        assertThat(group.at("/group/paths/0").asText()).isEqualTo("/srv");
        assertThat(group.has("tags")).isFalse();
        JsonNode second = group.at("/snapshots/1");
        assertThat(second.get("id").asText()).isEqualTo(EARLIER.id());
        assertThat(second.get("time").asText()).isEqualTo("2026-10-25T00:45:00Z");
        assertThat(second.get("localTime").asText()).isEqualTo("2026-10-25T02:45+02:00");
        assertThat(second.get("action").asText()).isEqualTo("keep");
        assertThat(second.at("/reasons/0/rule").asText()).isEqualTo("hold");
        assertThat(second.at("/reasons/0/text").asText()).isEqualTo("hold LEGAL-42 (by tag legal)");
        assertThat(group.at("/snapshots/2/action").asText()).isEqualTo("forget");
        assertThat(group.at("/snapshots/2/reasons").size()).isZero();
    }
}
