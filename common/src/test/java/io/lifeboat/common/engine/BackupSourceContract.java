package io.lifeboat.common.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.engine.testing.InMemoryRepository;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link BackupSource} adapter passes: one run commits exactly one snapshot of
 * its source type whose tree decodes and whose blobs are all stored; a second run over unchanged
 * data stores no new content. Subclasses give a source over some fixed data.
 */
public abstract class BackupSourceContract {

    /** A source over fixed, non-empty data; called once per run, so it may be called twice. */
    protected abstract BackupSource newSource() throws Exception;

    /** The logical size of the fixed data, as the summary's {@code bytesTotal} must report it. */
    protected abstract long expectedBytes();

    protected Repository newRepository() {
        return new InMemoryRepository();
    }

    /**
     * Bytes of content a source must store again on every run over unchanged data because its source
     * format says so (pg_dump writes the time of the dump into its archive header); the blobs of a
     * second run that the first did not store may add up to at most this. Defaults to {@code 0}: the
     * second run references exactly the first run's data blobs.
     */
    protected long bytesNewOnEveryRun() {
        return 0;
    }

    protected BackupOptions options() {
        return BackupOptions.defaults().withThreads(2);
    }

    @Test
    void commitsOneSnapshotOfItsSourceType() throws Exception {
        Repository repo = newRepository();
        BackupSource source = newSource();
        BackupResult r = source.backup(repo, options(), ProgressListener.NONE);
        assertThat(repo.snapshots()).containsExactly(r.snapshot());
        assertThat(r.snapshot().sourceType()).isEqualTo(source.sourceType());
        assertThat(r.snapshot().paths()).isEqualTo(source.paths());
        assertThat(r.summary().bytesTotal()).isEqualTo(expectedBytes());
        assertThat(r.snapshot().spec().summary()).containsEntry("bytes_total", expectedBytes());
    }

    @Test
    void everyReferencedBlobIsStored() throws Exception {
        Repository repo = newRepository();
        BackupResult r = newSource().backup(repo, options(), ProgressListener.NONE);
        Set<BlobId> seen = new HashSet<>();
        new TreeWalker(repo).walk(r.snapshot().root(), (path, node) -> {
            seen.addAll(node.content());
            if (node.isDir()) {
                seen.add(node.subtree());
            }
            return true;
        });
        assertThat(seen).isNotEmpty().allMatch(repo::contains);
        var check = new SnapshotInspector(repo).check(repo.snapshots(), java.util.Map.of());
        assertThat(check.problems()).isEmpty();
    }

    @Test
    void secondRunOverSameDataStoresNoNewContent() throws Exception {
        Repository repo = newRepository();
        BackupResult first = newSource().backup(repo, options(), ProgressListener.NONE);
        BackupResult second = newSource().backup(repo, options(), ProgressListener.NONE);
        assertThat(first.summary().bytesAdded()).isPositive();
        Set<BlobId> firstData = dataBlobs(repo, first.snapshot());
        Set<BlobId> secondData = dataBlobs(repo, second.snapshot());
        if (bytesNewOnEveryRun() == 0) {
            assertThat(secondData).isEqualTo(firstData);
        } else {
            long fresh = secondData.stream().filter(id -> !firstData.contains(id))
                .mapToLong(id -> repo.loadBlob(id).length).sum();
            assertThat(fresh).isLessThanOrEqualTo(bytesNewOnEveryRun());
            assertThat(secondData.stream().filter(firstData::contains)).as("data shared with the first run").isNotEmpty();
        }
        assertThat(second.summary().bytesAdded()).isLessThan(first.summary().bytesAdded());
        List<Snapshot> all = repo.snapshots();
        assertThat(all).hasSize(2);
    }

    private static Set<BlobId> dataBlobs(Repository repo, Snapshot s) {
        Set<BlobId> ids = new HashSet<>();
        new TreeWalker(repo).walk(s.root(), (p, n) -> {
            ids.addAll(n.content());
            return true;
        });
        return ids;
    }
}
