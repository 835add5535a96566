package io.lifeboat.common.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSource;
import io.lifeboat.common.engine.BackupSourceContract;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.engine.testing.FixedSizeChunker;
import io.lifeboat.common.engine.testing.InMemoryRepository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamSourceTest extends BackupSourceContract {
    private static final byte[] DATA = "stream data ".repeat(2000).getBytes();

    @Override
    protected BackupSource newSource() {
        return StreamSource.ofInput("dump.sql", new FixedSizeChunker(4096), () -> new ByteArrayInputStream(DATA));
    }

    @Override
    protected long expectedBytes() {
        return DATA.length;
    }

    @Test
    void commandOutputIsStoredAsOneFile() throws Exception {
        InMemoryRepository repo = new InMemoryRepository();
        BackupResult r = StreamSource.ofCommand("out.txt", new FixedSizeChunker(16),
            List.of("sh", "-c", "printf 'line one\\nline two\\n'")).backup(repo, options(), ProgressListener.NONE);
        SnapshotInspector in = new SnapshotInspector(repo);
        assertThat(in.singleFile(r.snapshot())).contains("out.txt");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.dump(r.snapshot(), "out.txt", out);
        assertThat(out.toString()).isEqualTo("line one\nline two\n");
        assertThat(r.snapshot().sourceType()).isEqualTo("stream");
    }

    @Test
    void failingCommandCommitsNothingAndShowsItsStderrTailButNotItsEnvironment() {
        InMemoryRepository repo = new InMemoryRepository();
        StreamSource s = StreamSource.ofCommand("x", new FixedSizeChunker(16), List.of("sh", "-c",
            "echo partial; echo 'pg_dump: connection refused' >&2; exit 3"));
        assertThatThrownBy(() -> s.backup(repo, options(), ProgressListener.NONE))
            .isInstanceOf(EngineException.class)
            .hasMessageContaining("exited with code 3")
            .hasMessageContaining("connection refused")
            .hasMessageNotContaining("PATH=");
        assertThat(repo.snapshots()).isEmpty();
    }

    @Test
    void missingCommandFailsClearly() {
        StreamSource s = StreamSource.ofCommand("x", new FixedSizeChunker(16), List.of("/no/such/command"));
        assertThatThrownBy(() -> s.backup(new InMemoryRepository(), options(), ProgressListener.NONE))
            .isInstanceOf(EngineException.class).hasMessageContaining("cannot start command");
    }

    @Test
    void unsafeFileNamesAreRefused() {
        assertThatThrownBy(() -> StreamSource.ofInput("../x", new FixedSizeChunker(16), () -> null))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
