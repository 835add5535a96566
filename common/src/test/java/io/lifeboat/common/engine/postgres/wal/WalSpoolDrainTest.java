package io.lifeboat.common.engine.postgres.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.engine.postgres.PgConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool side of the streamer, without a server: what is uploaded, what is deleted, what is kept. */
class WalSpoolDrainTest {
    private static final int SEG = 16 * 1024 * 1024;

    @TempDir
    Path spool;

    private final MemoryWalSink sink = new MemoryWalSink();
    private final List<String> warnings = new ArrayList<>();

    private WalStreamer streamer() {
        WalStreamerOptions o = WalStreamerOptions.defaults("c1", spool)
            .withIntervals(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(5));
        return new WalStreamer(new PgConnection("127.0.0.1", 1, "u", "postgres", null), o, sink,
            new WalStreamer.Listener() {
                @Override
                public void warning(String message) {
                    warnings.add(message);
                }
            });
    }

    private void write(String name, int validBytes) throws Exception {
        byte[] d = new byte[SEG];
        for (int i = 0; i < validBytes; i++) {
            d[i] = (byte) (i % 251 + 1);
        }
        Files.write(spool.resolve(name), d);
    }

    @Test
    void leftoversAreUploadedAndCompletedOnesRemoved() throws Exception {
        write("000000010000000000000003", SEG);
        write("000000010000000000000004", SEG);
        write("000000010000000000000005.partial", 1000);
        Files.writeString(spool.resolve("00000001.history.tmp"), "x");
        streamer().drainSpool(true);
        assertThat(sink.segments).containsOnlyKeys("000000010000000000000003", "000000010000000000000004");
        assertThat(sink.partials).containsOnlyKeys("000000010000000000000005");
        assertThat(sink.partials.get("000000010000000000000005")).hasSize(1000);
        try (var s = Files.list(spool)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("00000001.history.tmp", "000000010000000000000005.partial");
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFailedUploadKeepsTheFileForTheNextPoll() throws Exception {
        write("000000010000000000000003", SEG);
        write("000000010000000000000004", SEG);
        sink.failNext.set(1);
        WalStreamer s = streamer();
        s.drainSpool(true);
        assertThat(sink.segments).isEmpty();
        assertThat(Files.exists(spool.resolve("000000010000000000000003"))).isTrue();
        assertThat(warnings).singleElement().asString().contains("000000010000000000000003", "kept in the spool");
        s.drainSpool(true);
        assertThat(sink.segments).containsOnlyKeys("000000010000000000000003", "000000010000000000000004");
        assertThat(Files.exists(spool.resolve("000000010000000000000003"))).isFalse();
    }

    @Test
    void aPartialLeftByATimelineSwitchIsUploadedAndRemoved() throws Exception {
        write("000000010000000000000005.partial", 5000);
        Files.writeString(spool.resolve("00000002.history"), "1\t0/5001388\tno recovery target specified\n");
        write("000000020000000000000005.partial", 7000);
        streamer().drainSpool(false);
        assertThat(sink.segments).containsOnlyKeys("00000002.history");
        assertThat(sink.partials).containsOnlyKeys("000000010000000000000005");
        assertThat(Files.exists(spool.resolve("000000010000000000000005.partial"))).isFalse();
        assertThat(Files.exists(spool.resolve("000000020000000000000005.partial"))).isTrue();
    }

    @Test
    void anUnchangedPartialIsNotUploadedAgain() throws Exception {
        write("000000010000000000000005.partial", 5000);
        WalStreamer s = streamer();
        s.drainSpool(true);
        sink.partials.clear();
        s.drainSpool(true);
        assertThat(sink.partials).isEmpty();
        write("000000010000000000000005.partial", 6000);
        s.drainSpool(true);
        assertThat(sink.partials.get("000000010000000000000005")).hasSize(6000);
    }
}
