package io.lifeboat.common.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.UnsupportedFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HoldCodecTest {
    private static final Instant CREATED = Instant.parse("2026-03-04T10:15:30Z");
    private static final String SNAPSHOT = "ab".repeat(32);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aTagHoldRoundTripsAndHasTheDocumentedForm() {
        Hold hold = Hold.onTag("LEGAL-42", "finance", "case 42 \"quoted\" ünïcode", "alice", CREATED);
        byte[] json = HoldCodec.encode(hold);

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"version\":1,\"id\":\"LEGAL-42\","
            + "\"reason\":\"case 42 \\\"quoted\\\" ünïcode\",\"createdBy\":\"alice\","
            + "\"createdAt\":\"2026-03-04T10:15:30Z\",\"target\":{\"type\":\"tag\",\"value\":\"finance\"},"
            + "\"expiresAt\":null}");
        assertThat(HoldCodec.decode(json, "LEGAL-42")).isEqualTo(hold);
    }

    @Test
    void aSnapshotHoldWithExpiryRoundTrips() {
        Hold hold = Hold.onSnapshot("audit.2026_03", SNAPSHOT, "", "bob", CREATED)
            .withExpiry(Instant.parse("2033-03-04T00:00:00.123456789Z"));
        assertThat(HoldCodec.decode(HoldCodec.encode(hold), "audit.2026_03")).isEqualTo(hold);
        assertThat(hold.expiry()).contains(Instant.parse("2033-03-04T00:00:00.123456789Z"));
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = "{\"version\":1,\"id\":\"H\",\"reason\":\"r\",\"createdBy\":\"c\","
            + "\"createdAt\":\"2026-03-04T10:15:30Z\",\"target\":{\"type\":\"tag\",\"value\":\"t\",\"x\":1},"
            + "\"expiresAt\":null,\"futureField\":[1,2]}";
        assertThat(HoldCodec.decode(utf8(json), "H").target()).isEqualTo(new HoldTarget.OnTag("t"));
    }

    @Test
    void anotherVersionIsUnsupported() {
        String json = new String(HoldCodec.encode(Hold.onTag("H", "t", "", "", CREATED)), StandardCharsets.UTF_8)
            .replace("\"version\":1", "\"version\":2");
        assertThatThrownBy(() -> HoldCodec.decode(utf8(json), "H"))
            .isInstanceOf(UnsupportedFormatException.class)
            .hasMessage("holds/H has hold format version 2; this build reads version 1");
    }

    @Test
    void malformedContentIsCorruptAndNamesTheObjectWithoutEchoingIt() {
        String good = new String(HoldCodec.encode(Hold.onSnapshot("H", SNAPSHOT, "secret-ish reason", "c", CREATED)),
            StandardCharsets.UTF_8);
        List<String> bad = List.of(
            "",
            "null",
            "[]",
            "\"text\"",
            good.substring(0, good.length() / 2),
            good + "{}",
            good.replace("\"version\":1,", ""),
            good.replace("\"version\":1", "\"version\":\"1\""),
            good.replace("\"id\":\"H\",", ""),
            good.replace("\"id\":\"H\"", "\"id\":\"OTHER\""),
            good.replace("\"reason\":\"secret-ish reason\"", "\"reason\":7"),
            good.replace("\"createdAt\":\"2026-03-04T10:15:30Z\"", "\"createdAt\":\"yesterday\""),
            good.replace("\"createdAt\":\"2026-03-04T10:15:30Z\",", ""),
            good.replace("\"type\":\"snapshot\"", "\"type\":\"host\""),
            good.replace("\"value\":\"" + SNAPSHOT + "\"", "\"value\":\"\""),
            good.replace("\"target\":{\"type\":\"snapshot\",\"value\":\"" + SNAPSHOT + "\"}", "\"target\":\"x\""),
            good.replace("\"expiresAt\":null", "\"expiresAt\":\"2020-01-01T00:00:00Z\""),
            good.replace("\"expiresAt\":null", "\"expiresAt\":5"));
        for (String json : bad) {
            assertThatThrownBy(() -> HoldCodec.decode(utf8(json), "H"))
                .as(json)
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageStartingWith("holds/H is corrupt: ")
                .message().doesNotContain("secret-ish");
        }
    }

    @Test
    void flippedBitsNeverEscapeAsAnythingButRepositoryErrors() {
        byte[] good = HoldCodec.encode(Hold.onTag("LEGAL-42", "finance", "case", "alice", CREATED)
            .withExpiry(CREATED.plusSeconds(3600)));
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] mutated = Arrays.copyOf(good, good.length);
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                Hold decoded = HoldCodec.decode(mutated, "LEGAL-42");
                assertThat(decoded.id()).isEqualTo("LEGAL-42");
            } catch (RepositoryException expected) {
                assertThat(expected).isInstanceOfAny(CorruptObjectException.class, UnsupportedFormatException.class);
            }
        }
    }

    @Test
    void holdIdsMustBeSafeObjectKeyNames() {
        for (String bad : List.of("", ".hidden", "a/b", "a b", "..", "x".repeat(129), "ü")) {
            assertThatThrownBy(() -> Hold.onTag(bad, "t", "", "", CREATED)).as(bad)
                .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Hold.onTag("x".repeat(128), "t", "", "", CREATED).id()).hasSize(128);
        assertThat(Hold.onTag("LEGAL-42.v2_final", "t", "", "", CREATED).id()).isEqualTo("LEGAL-42.v2_final");
    }

    @Test
    void aHoldCannotExpireBeforeItWasCreatedAndIsActiveUntilItsExpiry() {
        Hold h = Hold.onTag("H", "t", "", "", CREATED);
        assertThatThrownBy(() -> h.withExpiry(CREATED)).hasMessageContaining("expire before it was created");
        Hold expiring = h.withExpiry(CREATED.plusSeconds(10));
        assertThat(expiring.isActiveAt(CREATED.minusSeconds(100))).isTrue();
        assertThat(expiring.isActiveAt(CREATED.plusSeconds(9))).isTrue();
        assertThat(expiring.isActiveAt(CREATED.plusSeconds(10))).isFalse();
        assertThat(h.isActiveAt(Instant.MAX)).isTrue();
    }

    @Test
    void targetsMatchTheirSnapshotOrTagExactly() {
        SnapshotRef s = new SnapshotRef(SNAPSHOT, CREATED, Set.of("legal"), "h", List.of(), "files");
        assertThat(new HoldTarget.OnSnapshot(SNAPSHOT).matches(s)).isTrue();
        assertThat(new HoldTarget.OnSnapshot(SNAPSHOT.substring(0, 8)).matches(s)).isFalse();
        assertThat(new HoldTarget.OnTag("legal").matches(s)).isTrue();
        assertThat(new HoldTarget.OnTag("Legal").matches(s)).isFalse();
        assertThat(Hold.onTag("H", "legal", "", "", CREATED).protects(s, CREATED)).isTrue();
    }
}
