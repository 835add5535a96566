package io.lifeboat.common.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builders of snapshot fixtures for the retention tests. */
final class RetentionFixtures {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private RetentionFixtures() {
    }

    /** A snapshot of host {@code db1}, type {@code files}, path {@code /srv}, id derived from the time. */
    static SnapshotRef snap(Instant time, String... tags) {
        return new SnapshotRef(idOf(time), time, Set.of(tags), "db1", List.of("/srv"), "files");
    }

    /** A snapshot at a local time with an explicit offset, e.g. {@code 2026-10-25T02:30+01:00}. */
    static SnapshotRef snap(String offsetDateTime, String... tags) {
        return snap(OffsetDateTime.parse(offsetDateTime).toInstant(), tags);
    }

    static SnapshotRef onHost(String host, String instant) {
        Instant t = Instant.parse(instant);
        return new SnapshotRef(host + "-" + t.getEpochSecond(), t, Set.of(), host, List.of("/srv"), "files");
    }

    static String idOf(Instant time) {
        return "%08x".formatted(time.getEpochSecond()) + "0".repeat(56);
    }

    /**
     * The two-year history: every day from 2025-01-01 to 2026-12-31 at 00:00, 06:00, 12:00 and
     * 18:00 on the wall clock of Europe/Berlin (none of these falls in a DST gap or overlap), plus
     * irregular snapshots on the DST change days and at the year ends. Tags: {@code audit} on
     * 2025-06-15 12:00 and 2026-02-10 06:00, {@code other} on 2025-07-01 06:00, {@code legal} on
     * the second 02:30 of 2025-10-26.
     */
    static List<SnapshotRef> twoYearHistory() {
        List<SnapshotRef> out = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2025, 1, 1); !d.isAfter(LocalDate.of(2026, 12, 31)); d = d.plusDays(1)) {
            for (int hour = 0; hour < 24; hour += 6) {
                Instant t = d.atTime(LocalTime.of(hour, 0)).atZone(BERLIN).toInstant();
                String[] tags = switch (d + "T" + hour) {
                    case "2025-06-15T12", "2026-02-10T6" -> new String[] {"audit"};
                    case "2025-07-01T6" -> new String[] {"other"};
                    default -> new String[0];
                };
                out.add(snap(t, tags));
            }
        }
        out.add(snap("2025-03-30T03:30+02:00"));
        out.add(snap("2025-10-26T02:30+02:00"));
        out.add(snap("2025-10-26T02:30+01:00", "legal"));
        out.add(snap("2025-12-31T23:59+01:00"));
        out.add(snap("2026-01-01T00:30+01:00"));
        out.add(snap("2026-03-29T03:15+02:00"));
        out.add(snap("2026-10-25T02:45+02:00"));
        out.add(snap("2026-10-25T02:45+01:00"));
        out.add(snap("2026-12-31T23:30+01:00"));
        return out;
    }
}
