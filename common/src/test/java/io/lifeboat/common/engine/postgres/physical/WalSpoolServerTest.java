package io.lifeboat.common.engine.postgres.physical;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalNames;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore_command script against a serving restore, for real, with /bin/sh. */
class WalSpoolServerTest {
    private static final long SEG = 1 << 20;

    @TempDir
    Path tmp;

    int runScript(Path dataDir, String name, Path target) throws Exception {
        Process p = new ProcessBuilder("sh", dataDir.resolve("lifeboat-restore-command.sh").toString(), name, target.toString())
            .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void servesPresentFilesSaysMissingAndFallsBackOnceClosed() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        try (PackRepository repo = Repositories.init(store, "pw".toCharArray(), InitOptions.forTests())) {
            WalArchive archive = WalArchive.open(repo, "c1", SEG);
            byte[][] segs = new byte[6][];
            for (int i = 1; i <= 5; i++) {
                segs[i] = new byte[(int) SEG];
                new Random(i).nextBytes(segs[i]);
                archive.putSegment(WalNames.segmentName(1, i, SEG), segs[i]);
            }
            archive.putSegment("00000002.history", "1\t0/5000000\tx\n".getBytes());
            // a damaged object must abort recovery, not look like the end of the archive
            String damaged = RepositoryLayout.walSegment("c1", 1, WalNames.segmentName(1, 5, SEG));
            byte[] bad = store.get(damaged);
            bad[bad.length - 1] ^= 1;
            store.put(damaged, bad);

            Path data = Files.createDirectories(tmp.resolve("data"));
            Path out = tmp.resolve("RECOVERYXLOG");
            try (WalSpoolServer server = WalSpoolServer.start(archive, data, "sh -c 'exit 7'", null)) {
                assertThat(server.restoreCommand()).endsWith("lifeboat-restore-command.sh' %f %p");
                for (int i = 1; i <= 4; i++) {
                    assertThat(runScript(data, WalNames.segmentName(1, i, SEG), out)).isZero();
                    assertThat(Files.readAllBytes(out)).isEqualTo(segs[i]);
                }
                assertThat(runScript(data, "00000002.history", out)).isZero();
                assertThat(runScript(data, "00000003.history", out)).isEqualTo(1);
                assertThat(runScript(data, WalNames.segmentName(1, 6, SEG), out)).isEqualTo(1);
                assertThat(runScript(data, WalNames.segmentName(1, 5, SEG), out)).isEqualTo(126);
                assertThat(runScript(data, "../config", out)).isEqualTo(1);
                assertThat(runScript(data, "RECOVERYHISTORY", out)).isEqualTo(1);
            }
            assertThat(Files.exists(data.resolve("lifeboat-wal-spool"))).isFalse();
            assertThat(runScript(data, WalNames.segmentName(1, 1, SEG), out)).isEqualTo(7);
        }
    }
}
