package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.wal.WalNames;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.WrongPasswordException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

@Command(name = "wal-fetch", description = {
    "Restore one WAL file from the repository: PostgreSQL's restore_command.",
    "Exit 0: written to PATH. Exit 1: the archive does not hold it (PostgreSQL then ends recovery or waits).",
    "Exit 126: the archive could not be read (store unreachable, wrong password, a damaged object);",
    "PostgreSQL aborts recovery instead of stopping early at a point you did not ask for.",
    "postgresql.conf: restore_command = 'lifeboat --config /etc/lifeboat/wal.properties wal-fetch --cluster main %%f %%p'"})
final class WalFetchCommand implements Callable<Integer> {
    /** Above 125, so PostgreSQL treats the failure as fatal rather than as "no such file". */
    static final int ABORT_RECOVERY = 126;

    @ParentCommand
    LifeboatCli root;

    @Mixin
    WalOptions wal;

    @Parameters(index = "0", paramLabel = "FILE", description = "The WAL file name PostgreSQL wants (%%f).")
    String fileName;

    @Parameters(index = "1", paramLabel = "PATH", description = "Where to write it (%%p: relative to the data directory).")
    Path path;

    @Override
    public Integer call() {
        if (WalNames.kindOf(fileName) == null) {
            throw new CliException("'" + fileName + "' is not a WAL segment, .partial, .history or .backup file name", ExitCodes.USAGE);
        }
        Optional<byte[]> data;
        try {
            CliSettings s = root.settings();
            char[] password = s.password(false);
            try (Repository repo = root.backend.open(s.location(), password)) {
                java.util.Arrays.fill(password, '\0');
                data = wal.open(repo, root.env).fetch(fileName);
            }
        } catch (WrongPasswordException e) {
            throw new CliException("wrong password: no key slot of the repository opens with it", ABORT_RECOVERY);
        } catch (CliException e) {
            throw new CliException(e.getMessage(), ABORT_RECOVERY);
        } catch (RuntimeException e) {
            throw new CliException("cannot read " + fileName + " from the WAL archive: " + LifeboatCli.oneLine(e.getMessage()), ABORT_RECOVERY);
        }
        if (data.isEmpty()) {
            if (!root.quiet) {
                root.err.println("lifeboat: " + fileName + " is not in the WAL archive of cluster " + wal.cluster(root.env));
            }
            return ExitCodes.FAILURE;
        }
        try {
            writeDurably(path, data.get());
        } catch (IOException e) {
            throw new CliException("cannot write " + path + ": " + CliSettings.reason(e), ABORT_RECOVERY);
        }
        return ExitCodes.OK;
    }

    /** Writes beside the target, syncs, then renames, so PostgreSQL never sees half a segment. */
    static void writeDurably(Path target, byte[] data) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".lifeboat-tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
