package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.engine.BackupCounters;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSource;
import io.lifeboat.common.engine.ChildProcess;
import io.lifeboat.common.engine.ContentWriter;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.NodeType;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.Tree;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.engine.postgres.PgConnection;
import io.lifeboat.common.engine.postgres.PgTools;
import io.lifeboat.common.engine.postgres.wal.Lsn;
import io.lifeboat.common.engine.postgres.wal.WalNames;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A physical base backup of a whole PostgreSQL cluster as one snapshot of source type
 * {@value #SOURCE_TYPE}: {@code pg_basebackup -D - -Ft} (one tar stream of the data directory) chunked and
 * stored as it arrives, into a single file node {@value #FILE}. Unchanged data files chunk the same way
 * each time, so repeated base backups store little beyond what changed.
 *
 * <p>WAL: {@link WalMode#FETCH} ({@code -X fetch}) puts the WAL needed to reach consistency into the
 * tar, so the backup restores on its own; {@link WalMode#NONE} ({@code -X none}) leaves it to the WAL
 * archive, and PostgreSQL makes pg_basebackup wait until the archive has it. The snapshot's labels
 * record the start and stop LSN, timeline, first WAL segment and times ({@link BaseBackupInfo}).
 *
 * <p>Refused, before anything is stored: tablespaces other than {@code pg_default} and
 * {@code pg_global} (a tar stream on standard output can carry only the main one), and
 * {@code wal_level = minimal}.
 *
 * <p>Threading: as {@link BackupSource}. Secrets reach pg_basebackup only through its environment.
 */
public final class PostgresBaseBackupSource implements BackupSource {
    public static final String SOURCE_TYPE = "postgres-base";
    public static final String FILE = "base.tar";


    /** Where the WAL that makes the backup consistent goes. */
    public enum WalMode {
        /** Into the tar ({@code -X fetch}): restorable without the archive. */
        FETCH,
        /** Left to the WAL archive ({@code -X none}); the backup needs it. */
        NONE;

        public String flag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the server told before the backup. */
    record ServerFacts(int versionNum, String systemIdentifier, long segmentSize, String walLevel, List<String> tablespaces) {
    }

    private final PgConnection conn;
    private final PgTools tools;
    private final String cluster;
    private final WalMode walMode;
    private final Chunker chunker;

    public PostgresBaseBackupSource(PgConnection conn, PgTools tools, String cluster, WalMode walMode, Chunker chunker) {
        RepositoryLayout.walCluster(cluster);
        this.conn = conn;
        this.tools = tools;
        this.cluster = cluster;
        this.walMode = walMode;
        this.chunker = chunker;
    }

    @Override
    public String sourceType() {
        return SOURCE_TYPE;
    }

    @Override
    public List<String> paths() {
        return List.of(cluster);
    }

    @Override
    public BackupResult backup(Repository repository, BackupOptions options, ProgressListener progress) {
        ServerFacts facts = serverFacts();
        check(facts);
        List<String> cmd = List.of(tools.tool("pg_basebackup"), "--pgdata=-", "--format=tar", "--wal-method=" + walMode.flag(),
            "--checkpoint=fast", "--no-password", "--label=lifeboat " + cluster);
        Instant started = Instant.now();
        BackupCounters counters = new BackupCounters();
        progress.itemStarted(FILE);
        ContentWriter.Stored stored;
        BlobId root;
        BaseTarScanner[] scanner = new BaseTarScanner[1];
        try (ContentWriter writer = new ContentWriter(repository, chunker, counters, options.threads(), options.threads() * 2)) {
            ChildProcess.Outcome<ContentWriter.Stored> out = ChildProcess.readStdout(cmd, conn.childEnvironment(),
                stdout -> writer.write(scanner[0] = new BaseTarScanner(stdout), progress));
            if (!out.ok()) {
                throw new EngineException("pg_basebackup exited with code " + out.exitCode() + "; nothing was committed"
                    + (out.stderr().isBlank() ? "" : ": " + lastLines(out.stderr())));
            }
            stored = out.value();
            root = writer.saveTree(Tree.of(List.of(TreeNode.builder(FILE, NodeType.FILE).mode(0600)
                .mtimeNs(System.currentTimeMillis() * 1_000_000L).size(stored.size()).content(stored.content()).build())));
        }
        Instant finished = Instant.now();
        BaseTarScanner tar = scanner[0];
        Lsn startLsn = tar.startLsn().orElseThrow(() -> new EngineException(
            "pg_basebackup's output holds no readable backup_label; nothing was committed"));
        int timeline = tar.timeline().orElseThrow(() -> new EngineException(
            "pg_basebackup's backup_label names no timeline; nothing was committed"));
        Lsn stopLsn = tar.stopLsn().orElseThrow(() -> new EngineException(
            "pg_basebackup's output holds no backup_manifest with WAL ranges (was it run with --no-manifest?); nothing was committed"));
        counters.filesNew.incrementAndGet();
        counters.bytesTotal.addAndGet(stored.size());
        progress.itemDone(FILE, stored.size(), true);
        var summary = counters.summary();
        Map<String, String> labels = new LinkedHashMap<>(options.labels());
        labels.put(BaseBackupInfo.CLUSTER, cluster);
        labels.put(BaseBackupInfo.TIMELINE, Integer.toString(timeline));
        labels.put(BaseBackupInfo.START_LSN, startLsn.toString());
        labels.put(BaseBackupInfo.STOP_LSN, stopLsn.toString());
        labels.put(BaseBackupInfo.START_SEGMENT, WalNames.segmentName(timeline, startLsn, facts.segmentSize()));
        labels.put(BaseBackupInfo.WAL_MODE, walMode.flag());
        labels.put(BaseBackupInfo.STARTED, started.toString());
        labels.put(BaseBackupInfo.FINISHED, finished.toString());
        labels.put(BaseBackupInfo.SYSTEM_ID, facts.systemIdentifier());
        labels.put(BaseBackupInfo.SEGMENT_SIZE, Long.toString(facts.segmentSize()));
        labels.put("server_version_num", Integer.toString(facts.versionNum()));
        Snapshot snapshot = repository.commitSnapshot(new SnapshotSpec(SOURCE_TYPE, root, options.hostname(), options.username(),
            paths(), options.tags(), null, started, summary.toMap(), labels));
        return new BackupResult(snapshot, summary);
    }

    /** Asks the server what the backup needs to know, and whether it can be taken at all. */
    ServerFacts serverFacts() {
        String db = conn.database() == null || conn.database().isBlank() ? "postgres" : conn.database();
        try (Connection c = conn.open(db); Statement st = c.createStatement()) {
            int version;
            String sysId;
            long segSize;
            String walLevel;
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, "
                    + "(SELECT system_identifier FROM pg_control_system())::text, "
                    + "(SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'), current_setting('wal_level')")) {
                rs.next();
                version = rs.getInt(1);
                sysId = rs.getString(2);
                segSize = rs.getLong(3);
                walLevel = rs.getString(4);
            }
            List<String> spaces = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT spcname FROM pg_tablespace WHERE spcname NOT IN ('pg_default', 'pg_global') ORDER BY 1")) {
                while (rs.next()) {
                    spaces.add(rs.getString(1));
                }
            }
            return new ServerFacts(version, sysId, segSize, walLevel, spaces);
        } catch (SQLException e) {
            throw new EngineException("cannot query the PostgreSQL server " + conn + ": " + e.getMessage(), e);
        }
    }

    static void check(ServerFacts f) {
        if (!f.tablespaces().isEmpty()) {
            throw new EngineException("the cluster has tablespaces outside the data directory (" + String.join(", ", f.tablespaces())
                + "); base backups of such clusters are not supported yet: move them to pg_default or use backup-postgres");
        }
        if ("minimal".equals(f.walLevel())) {
            throw new EngineException("wal_level is minimal: set wal_level = replica (and restart) to take base backups");
        }
        if (f.versionNum() < 100000) {
            throw new EngineException("PostgreSQL " + f.versionNum() / 10000 + " is too old for base backups; 10 or newer is needed");
        }
    }

    private static String lastLines(String stderr) {
        List<String> lines = stderr.strip().lines().toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
