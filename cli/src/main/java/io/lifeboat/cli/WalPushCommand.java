package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalNames;
import io.lifeboat.common.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "wal-push", description = {
    "Archive one WAL file into the repository: PostgreSQL's archive_command.",
    "Exits 0 only once the file is durably stored; pushing a file already archived with the same content succeeds,",
    "a file archived with different content fails (it is never overwritten).",
    "postgresql.conf: archive_mode = on",
    "                 archive_command = 'lifeboat --config /etc/lifeboat/wal.properties wal-push --cluster main %%p'"})
final class WalPushCommand extends RepoCommand {
    @Mixin
    WalOptions wal;

    @Parameters(index = "0", paramLabel = "PATH", description = "The WAL file (%%p: relative to the data directory).")
    Path path;

    @Override
    int run(Repository repo) {
        String name = path.getFileName().toString();
        WalNames.Kind kind = WalNames.kindOf(name);
        if (kind == null) {
            throw new CliException("'" + name + "' is not a WAL segment, .partial, .history or .backup file", ExitCodes.USAGE);
        }
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new CliException("cannot read " + path + ": " + CliSettings.reason(e), ExitCodes.FAILURE);
        }
        // A segment's own length is its cluster's segment size; no flag needed in archive_command.
        WalArchive archive = kind == WalNames.Kind.SEGMENT && wal.segmentSize == null && validSize(data.length)
            ? wal.open(repo, root.env, data.length) : wal.open(repo, root.env);
        archive.putSegment(name, data);
        if (!root.quiet && root.json) {
            root.printJson(java.util.Map.of("cluster", archive.cluster(), "file", name, "bytes", data.length));
        }
        return ExitCodes.OK;
    }

    private static boolean validSize(long n) {
        try {
            WalNames.checkSegmentSize(n);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
