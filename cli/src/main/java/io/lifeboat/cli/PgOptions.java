package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.PgConnection;
import io.lifeboat.common.engine.postgres.PgTools;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the PostgreSQL server is and how to log in; shared by the PostgreSQL commands. Never takes a password itself. */
final class PgOptions {
    @Option(names = "--dsn", paramLabel = "URI",
        description = "postgresql://user@host:port/database (no password); default: PGHOST, PGPORT, PGUSER, PGDATABASE.")
    String dsn;

    @Option(names = "--pg-password-file", paramLabel = "FILE",
        description = "File whose first line is the PostgreSQL password (else PGPASSWORD, else PGPASSFILE or ~/.pgpass).")
    Path passwordFile;

    @Option(names = "--pg-bin", paramLabel = "DIR",
        description = "Directory of pg_dump, pg_dumpall and pg_restore (default: the PATH).")
    Path binDir;

    PgConnection connection(Map<String, String> env) {
        try {
            return PgConnection.resolve(dsn, env, passwordFile);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
    }

    PgTools tools() {
        return new PgTools(binDir);
    }
}
