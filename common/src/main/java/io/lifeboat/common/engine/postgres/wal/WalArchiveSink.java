package io.lifeboat.common.engine.postgres.wal;

import io.lifeboat.common.repository.Repository;
import java.util.Objects;

/**
 * A {@link WalStreamer}'s sink in a repository: the cluster's {@link WalArchive}, opened once the
 * streamer has learnt the server's WAL segment size. Status objects carry the fields of
 * {@link WalStatus}; {@link StreamerStatus#archivedThrough} is stored as its {@code lastCommitTime}.
 *
 * <p>Threading: used by one streamer thread.
 */
public final class WalArchiveSink implements WalSink {
    private final Repository repo;
    private final String cluster;
    private WalArchive archive;

    public WalArchiveSink(Repository repo, String cluster) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    @Override
    public void segmentSize(long bytes) {
        if (archive == null || archive.segmentSize() != bytes) {
            archive = WalArchive.open(repo, cluster, bytes);
        }
    }

    private WalArchive archive() {
        if (archive == null) {
            archive = WalArchive.open(repo, cluster);
        }
        return archive;
    }

    @Override
    public void putSegment(String fileName, byte[] data) {
        archive().putSegment(fileName, data);
    }

    @Override
    public void putPartial(String segmentName, byte[] data, int validBytes) {
        archive().putPartial(segmentName, data, validBytes);
    }

    @Override
    public void writeStatus(StreamerStatus s) {
        archive().writeStatus(toWalStatus(s));
    }

    static WalStatus toWalStatus(StreamerStatus s) {
        return new WalStatus(s.timeline(), new Lsn(s.lastArchivedLsn()).toString(), s.archivedThrough(), s.lagBytes(),
            s.slotRetainedBytes(), s.updatedAt(), s.streamerId());
    }
}
