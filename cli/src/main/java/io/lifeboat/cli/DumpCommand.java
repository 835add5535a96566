package io.lifeboat.cli;

import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "dump", description = {"Write one file of a snapshot to standard output.",
    "Example: lifeboat dump latest db.sql | psql mydb"})
final class DumpCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or latest.")
    String snapshotId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
        description = "File in the snapshot; may be left out when the snapshot holds a single file.")
    String path;

    @Override
    int run(Repository repo) throws Exception {
        Snapshot s = repo.snapshot(snapshotId);
        SnapshotInspector inspector = new SnapshotInspector(repo);
        String p = path;
        if (p == null) {
            p = inspector.singleFile(s).orElseThrow(() -> new CliException(
                "snapshot " + s.id().shortHex() + " holds more than one file; name the file to dump", ExitCodes.USAGE));
        }
        inspector.dump(s, p, root.out);
        return ExitCodes.OK;
    }
}
