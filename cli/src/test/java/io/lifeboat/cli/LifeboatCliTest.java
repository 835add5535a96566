package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.engine.TreeWalker;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifeboatCliTest {
    @TempDir
    Path tmp;
    final InMemoryBackend backend = new InMemoryBackend();
    final Map<String, String> env = new HashMap<>();
    String out;
    String err;
    Path data;

    @BeforeEach
    void setUp() throws Exception {
        env.put("LIFEBOAT_REPOSITORY", tmp.resolve("repo").toString());
        env.put("LIFEBOAT_PASSWORD", "secret");
        data = Files.createDirectories(tmp.resolve("data"));
        Files.createDirectories(data.resolve("sub"));
        Files.writeString(data.resolve("a.txt"), "alpha\n");
        Files.writeString(data.resolve("sub/b.txt"), "beta\n".repeat(1000));
    }

    int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(backend, env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out);
    }

    @Test
    void initBackupSnapshotsRestoreRoundTrip() throws Exception {
        assertThat(run("init")).isZero();
        assertThat(out).contains("created repository");
        assertThat(run("backup", data.toString())).as(err).isZero();
        assertThat(out).contains("2 new").contains("saved");
        assertThat(run("snapshots")).isZero();
        assertThat(out).contains("1 snapshot").contains(data.toString());
        assertThat(run("restore", "latest", "--target", tmp.resolve("r").toString())).as(err).isZero();
        assertThat(Files.readString(tmp.resolve("r/data/sub/b.txt"))).isEqualTo("beta\n".repeat(1000));
        assertThat(Files.readString(tmp.resolve("r/data/a.txt"))).isEqualTo("alpha\n");
    }

    @Test
    void backsUpAnS3PrefixReusingUnchangedObjectsAndRestoresIntoAnotherPrefix() throws Exception {
        var bucket = backend.buckets.computeIfAbsent("uploads", b -> new io.lifeboat.common.store.memory.InMemoryObjectStore());
        bucket.put("images/cat.jpg", "meow".getBytes(StandardCharsets.UTF_8));
        bucket.put("images/2024/dog.jpg", "woof".getBytes(StandardCharsets.UTF_8));
        bucket.put("other/skip", "x".getBytes(StandardCharsets.UTF_8));
        run("init");
        assertThat(run("backup", "--json", "--source", "s3:uploads/images")).as(err).isZero();
        assertThat(json().get("files_new").asLong()).isEqualTo(2);
        assertThat(run("backup", "--json", "--source", "s3:uploads/images")).as(err).isZero();
        assertThat(json().get("files_unmodified").asLong()).isEqualTo(2);
        assertThat(json().get("bytes_read").asLong()).isZero();
        assertThat(run("snapshots", "--json")).isZero();
        assertThat(json().get(0).get("paths").get(0).asText()).isEqualTo("s3:uploads/images");

        assertThat(run("restore", "latest", "--target", "s3:restored/copy")).as(err).isZero();
        assertThat(out).contains("s3:restored/copy");
        var restored = backend.buckets.get("restored");
        assertThat(new String(restored.get("copy/images/2024/dog.jpg"), StandardCharsets.UTF_8)).isEqualTo("woof");
        assertThat(new String(restored.get("copy/images/cat.jpg"), StandardCharsets.UTF_8)).isEqualTo("meow");
        assertThat(run("restore", "latest", "--target", "s3:restored/copy")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err).contains("already holds objects");

        assertThat(run("restore", "latest", "--target", tmp.resolve("dir").toString())).as(err).isZero();
        assertThat(Files.readString(tmp.resolve("dir/images/2024/dog.jpg"))).isEqualTo("woof");
    }

    @Test
    void sourceNeedsAnS3LocationAndNoPaths() {
        run("init");
        assertThat(run("backup", "--source", tmp.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--source needs s3:bucket/prefix");
        assertThat(run("backup", "--source", "s3:b/p", data.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(run("backup", "--source", "s3:")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--source:").contains("bucket");
    }

    @Test
    void limitsAndRetryBudgetReachTheBackendAndBadValuesAreUsageErrors() {
        run("init");
        assertThat(run("--limit-upload", "10M", "snapshots", "--limit-download", "500", "--retry-budget", "30s")).as(err).isZero();
        assertThat(backend.configured).isEqualTo(new StoreSettings(10240, 500, java.time.Duration.ofSeconds(30)));
        env.put("LIFEBOAT_LIMIT_DOWNLOAD", "1G");
        assertThat(run("snapshots")).isZero();
        assertThat(backend.configured.downloadKibPerSecond()).isEqualTo(1 << 20);
        assertThat(run("snapshots", "--limit-upload", "fast")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.strip()).isEqualTo("lifeboat: --limit-upload needs a rate in KiB/s such as 500, 800K, 10M or 1G, got 'fast'");
    }

    @Test
    void jsonOutputsParse() throws Exception {
        run("init");
        assertThat(run("backup", "--json", data.toString())).isZero();
        JsonNode b = json();
        assertThat(b.get("files_new").asLong()).isEqualTo(2);
        assertThat(b.get("snapshot").asText()).hasSize(64);
        assertThat(run("--json", "snapshots")).isZero();
        assertThat(json()).hasSize(1);
        assertThat(json().get(0).get("paths").get(0).asText()).isEqualTo(data.toString());
        assertThat(run("snapshots", "--json")).isZero();
        assertThat(json().get(0).get("id").asText()).isEqualTo(b.get("snapshot").asText());
        assertThat(run("stats", "--json")).isZero();
        assertThat(json().get("files").asLong()).isEqualTo(2);
        assertThat(json().get("logical_bytes").asLong()).isEqualTo(6 + 5000);
        assertThat(json().get("stored_bytes").asLong()).isEqualTo(1000);
        assertThat(run("check", "--json")).isZero();
        assertThat(json().get("ok").asBoolean()).isTrue();
        assertThat(run("ls", "--json", "latest")).isZero();
        for (String line : out.strip().split("\n")) {
            assertThat(new ObjectMapper().readTree(line).get("path").asText()).startsWith("/data");
        }
    }

    @Test
    void secondBackupReusesUnchangedFilesAndDiffShowsChanges() throws Exception {
        run("init");
        run("backup", data.toString());
        Files.writeString(data.resolve("a.txt"), "alpha changed\n");
        Files.writeString(data.resolve("new.txt"), "new\n");
        assertThat(run("backup", "--json", data.toString())).isZero();
        assertThat(json().get("files_unmodified").asLong()).isEqualTo(1);
        assertThat(json().get("files_changed").asLong()).isEqualTo(1);
        assertThat(json().get("files_new").asLong()).isEqualTo(1);
        var snaps = backend.repos.values().iterator().next().snapshots();
        assertThat(run("diff", snaps.get(0).id().shortHex(), snaps.get(1).id().shortHex())).isZero();
        assertThat(out).contains("M    /data/a.txt").contains("+    /data/new.txt");
    }

    @Test
    void lsDumpAndIncludes() throws Exception {
        run("init");
        run("backup", data.toString());
        assertThat(run("ls", "latest")).isZero();
        assertThat(out.lines()).containsExactly("/data/", "/data/a.txt", "/data/sub/", "/data/sub/b.txt");
        assertThat(run("ls", "-l", "latest", "data/sub")).isZero();
        assertThat(out).contains("b.txt").contains("5000");
        assertThat(run("dump", "latest", "/data/a.txt")).isZero();
        assertThat(out).isEqualTo("alpha\n");
        assertThat(run("dump", "latest")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("restore", "latest", "-t", tmp.resolve("r").toString(), "--include", "data/sub")).isZero();
        assertThat(Files.exists(tmp.resolve("r/data/sub/b.txt"))).isTrue();
        assertThat(Files.exists(tmp.resolve("r/data/a.txt"))).isFalse();
    }

    @Test
    void stdinFromCommandAndDumpOfASingleFileSnapshot() throws Exception {
        run("init");
        assertThat(run("backup", "--stdin-from-command", "--stdin-filename", "db.sql", "--", "sh", "-c",
            "echo 'create table t;'")).as(err).isZero();
        assertThat(run("dump", "latest")).isZero();
        assertThat(out).isEqualTo("create table t;\n");
        assertThat(run("backup", "--stdin-from-command", "--", "sh", "-c", "echo oops >&2; exit 4")).isEqualTo(1);
        assertThat(err.strip()).isEqualTo("lifeboat: command 'sh' exited with code 4; nothing was committed: oops");
        assertThat(run("--json", "snapshots")).isZero();
        assertThat(json()).hasSize(1);
    }

    @Test
    void errorsAreOneLineWithDistinctExitCodes() {
        assertThat(run("snapshots")).isEqualTo(ExitCodes.NO_REPOSITORY);
        assertThat(err.lines()).hasSize(1).first().asString().startsWith("lifeboat: no repository at");
        run("init");
        env.put("LIFEBOAT_PASSWORD", "wrong");
        assertThat(run("snapshots")).isEqualTo(ExitCodes.WRONG_PASSWORD);
        assertThat(err.lines()).containsExactly("lifeboat: wrong password: no key slot of the repository opens with it");
        env.put("LIFEBOAT_PASSWORD", "secret");
        assertThat(run("restore", "deadbeef", "--target", tmp.resolve("x").toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.lines()).hasSize(1).first().asString().startsWith("lifeboat: ").contains("deadbeef");
        assertThat(run("backup", tmp.resolve("missing").toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.lines()).containsExactly("lifeboat: path does not exist: " + tmp.resolve("missing"));
        assertThat(run("--repo", "ftp://host/x", "snapshots")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).containsExactly(
            "lifeboat: unsupported repository scheme 'ftp' (supported: local:/path, s3:bucket/prefix)");
        assertThat(run("nosuchcommand")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("check", "--read-data-subset", "500%")).isEqualTo(ExitCodes.USAGE);
        env.remove("LIFEBOAT_PASSWORD");
        assertThat(run("snapshots")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("no password given");
    }

    @Test
    void restoreRefusesANonEmptyTargetUnlessOverwrite() throws Exception {
        run("init");
        run("backup", data.toString());
        Path t = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(t.resolve("x"), "x");
        assertThat(run("restore", "latest", "--target", t.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err).contains("not empty").contains("--overwrite");
        assertThat(run("restore", "latest", "--target", t.toString(), "--overwrite")).isZero();
        assertThat(Files.exists(t.resolve("data/a.txt"))).isTrue();
    }

    @Test
    void checkNamesTheSnapshotsADamagedPackHurts() throws Exception {
        run("init");
        run("backup", data.toString());
        Snapshot first = backend.repos.values().iterator().next().snapshots().get(0);
        Files.writeString(tmp.resolve("other.txt"), "unrelated");
        run("backup", tmp.resolve("other.txt").toString());
        Set<BlobId> blobs = new HashSet<>();
        new TreeWalker(backend.repos.values().iterator().next()).walk(first.root(), (p, n) -> {
            if (p.equals("data/sub/b.txt")) {
                blobs.add(n.content().get(0));
            }
            return true;
        });
        backend.damaged = Map.of("ab".repeat(32), blobs);
        assertThat(run("check")).isZero();
        assertThat(run("check", "--read-data")).isEqualTo(ExitCodes.FAILURE);
        assertThat(out).contains("pack " + "ab".repeat(32) + " is damaged; it hurts 1 snapshot: " + first.id().shortHex());
        assertThat(run("check", "--read-data", "--json")).isEqualTo(ExitCodes.FAILURE);
        assertThat(json().get("damaged_packs").get("ab".repeat(32)).get(0).asText()).isEqualTo(first.id().hex());
    }

    @Test
    void configFileAndFlagsArePrecedenced() throws Exception {
        env.clear();
        Path pw = Files.writeString(tmp.resolve("pw"), "secret\n");
        Path cfg = Files.writeString(tmp.resolve("lifeboat.properties"),
            "repository=local:" + tmp.resolve("from-file") + "\npassword-file=" + pw + "\n");
        env.put("LIFEBOAT_CONFIG", cfg.toString());
        assertThat(run("init")).as(err).isZero();
        assertThat(backend.repos).containsKey(new RepositoryLocation.Local(tmp.resolve("from-file")));
        env.put("LIFEBOAT_REPOSITORY", tmp.resolve("from-env").toString());
        assertThat(run("init")).isZero();
        assertThat(backend.repos).containsKey(new RepositoryLocation.Local(tmp.resolve("from-env")));
        assertThat(run("--repo", tmp.resolve("from-flag").toString(), "init")).isZero();
        assertThat(backend.repos).containsKey(new RepositoryLocation.Local(tmp.resolve("from-flag")));
        assertThat(backend.passwords.values()).containsOnly("secret");
    }

    @Test
    void versionAndHelp() {
        assertThat(run("--version")).isZero();
        assertThat(out).startsWith("lifeboat ");
        assertThat(run("--help")).isZero();
        assertThat(out).contains("backup").contains("restore").contains("Exit codes");
    }

    @Test
    void everyCommandsHelpRendersWithoutFormatWarnings() {
        // picocli formats help text with String.format and only warns on stderr about a stray '%'.
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream sink = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        java.util.List<String> rendered = new java.util.ArrayList<>();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            java.util.Deque<picocli.CommandLine> todo = new java.util.ArrayDeque<>();
            todo.add(LifeboatCli.commandLine(new LifeboatCli(new InMemoryBackend(), Map.of(), sink, sink)));
            while (!todo.isEmpty()) {
                picocli.CommandLine c = todo.poll();
                c.getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
                rendered.add(c.getCommandName());
                todo.addAll(c.getSubcommands().values());
            }
        } finally {
            System.setErr(saved);
        }
        assertThat(rendered).contains("wal-push", "wal-fetch", "backup");
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    @Test
    void aRunRegistersOnlyTheSubcommandItCalls() {
        LifeboatCli cli = new LifeboatCli(new InMemoryBackend(), Map.of(), System.out, System.err);
        picocli.CommandLine.Model.CommandSpec top = new picocli.CommandLine(cli).getCommandSpec();
        assertThat(LifeboatCli.calledSubcommand(top, "backup", "/srv")).isEqualTo("backup");
        assertThat(LifeboatCli.calledSubcommand(top, "-r", "/repo", "--json", "restore", "latest")).isEqualTo("restore");
        assertThat(LifeboatCli.calledSubcommand(top, "--repo=/x", "snapshots")).isEqualTo("snapshots");
        assertThat(LifeboatCli.calledSubcommand(top, "-qr", "/x", "ls")).isEqualTo("ls");
        assertThat(LifeboatCli.calledSubcommand(top, "-r/x", "ls")).isEqualTo("ls");
        assertThat(LifeboatCli.calledSubcommand(top, "--password-file", "/p", "wal-push", "x")).isEqualTo("wal-push");
        // Not certain: every subcommand, so help, suggestions and errors stay picocli's own.
        assertThat(LifeboatCli.calledSubcommand(top, "--repo", "backup", "snapshots")).isNull();
        assertThat(LifeboatCli.calledSubcommand(top, "help", "backup")).isNull();
        assertThat(LifeboatCli.calledSubcommand(top, "bakup")).isNull();
        assertThat(LifeboatCli.calledSubcommand(top, "--", "backup")).isNull();
        assertThat(LifeboatCli.calledSubcommand(top, "--version")).isNull();

        assertThat(LifeboatCli.commandLine(cli, "check", "--read-data").getSubcommands()).containsOnlyKeys("check");
        assertThat(LifeboatCli.commandLine(cli, "help").getSubcommands()).hasSize(LifeboatCli.SUBCOMMANDS.size());
        assertThat(LifeboatCli.commandLine(cli).getSubcommands().keySet()).startsWith("init", "backup", "snapshots", "ls", "restore");
        // The one registered subcommand still inherits the top-level options.
        assertThat(LifeboatCli.commandLine(cli, "check").getSubcommands().get("check").getCommandSpec()
            .findOption("--repo")).isNotNull();
    }

    @Test
    void anOptionValueThatNamesASubcommandIsStillRefused() {
        assertThat(run("--repo", "backup", "snapshots")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("Expected parameter for option '--repo' but found 'backup'");
    }
}
