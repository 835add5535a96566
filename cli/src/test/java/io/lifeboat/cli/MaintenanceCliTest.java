package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.maintenance.MaintenanceLease;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.retention.Hold;
import io.lifeboat.common.retention.HoldCodec;
import io.lifeboat.common.retention.HoldTarget;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forget, prune and hold through the CLI, in-process, against the real repository format. */
class MaintenanceCliTest {
    /** No settle wait: one process, and the test controls who holds the lease. */
    private static final String NO_SETTLE = "--lease-settle=0s";

    @TempDir
    Path tmp;
    Path repo;
    Path data;
    final Map<String, String> env = new HashMap<>();
    String out;
    String err;

    @BeforeEach
    void setUp() {
        repo = InProcessCli.localRepository(tmp.resolve("repo"), env);
        data = tmp.resolve("data");
    }

    int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(), env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out);
    }

    /** Backs up the same path with new content, so every snapshot is in one group and has data of its own. */
    String backup(long seed, String... extra) throws Exception {
        RealRepositoryCliTest.randomTree(data, seed, 4, 200_000);
        List<String> args = new ArrayList<>(List.of("backup", "--json", "-q"));
        args.addAll(List.of(extra));
        args.add(data.toString());
        assertThat(run(args.toArray(String[]::new))).as(err).isZero();
        return json().get("snapshot").asText();
    }

    List<String> snapshotIds() throws Exception {
        assertThat(run("snapshots", "--json")).as(err).isZero();
        List<String> ids = new ArrayList<>();
        json().forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }

    List<String> journalActions() {
        try (PackRepository r = Repositories.open(new LocalObjectStore(repo), "pw".toCharArray())) {
            return r.journal().stream().map(j -> j.entry().action()).toList();
        }
    }

    long packBytes() throws Exception {
        try (Stream<Path> s = Files.walk(repo.resolve("data"))) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    long candidates() throws Exception {
        if (!Files.isDirectory(repo.resolve("prune"))) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(repo.resolve("prune"))) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void forgetByPolicyKeepsExactlyWhatThePlanSaysAndTheDryRunChangesNothing() throws Exception {
        String s1 = backup(1);
        String s2 = backup(2);
        String s3 = backup(3);

        assertThat(run("forget", "--keep-last", "2", "--dry-run")).as(err).isZero();
        assertThat(out).contains("policy: keep the 2 newest", "total: keep 2, forget 1", "dry run: would forget 1 snapshot");
        assertThat(out.lines().filter(l -> l.startsWith(s1.substring(0, 8)))).singleElement().asString().contains("forget");
        assertThat(run("forget", "--keep-last", "2", "--dry-run", "--json")).as(err).isZero();
        JsonNode plan = json().get("plan");
        assertThat(plan.get("keep").asInt()).isEqualTo(2);
        assertThat(json().get("forgotten")).isEmpty();
        List<String> planKeep = new ArrayList<>();
        List<String> planForget = new ArrayList<>();
        plan.get("groups").forEach(g -> g.get("snapshots").forEach(s ->
            (s.get("action").asText().equals("keep") ? planKeep : planForget).add(s.get("id").asText())));
        assertThat(planForget).containsExactly(s1);
        assertThat(snapshotIds()).as("a dry run changes nothing").containsExactlyInAnyOrder(s1, s2, s3);
        assertThat(journalActions()).doesNotContain("forget");

        assertThat(run("forget", "--keep-last", "2", "--json")).as(err).isZero();
        assertThat(json().get("dry_run").asBoolean()).isFalse();
        assertThat(json().get("forgotten")).extracting(JsonNode::asText).containsExactly(s1);
        assertThat(snapshotIds()).containsExactlyInAnyOrderElementsOf(planKeep);
        assertThat(journalActions()).contains("forget");

        assertThat(run("forget", "--keep-last", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).singleElement().asString().startsWith("lifeboat: ").contains("keeps nothing");
        assertThat(run("forget")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).singleElement().asString().contains("ids or a policy");
        assertThat(run("forget", s2, "--keep-last", "1")).isEqualTo(ExitCodes.USAGE);
        assertThat(snapshotIds()).hasSize(2);
    }

    @Test
    void aHeldSnapshotSurvivesForgetAndThePlanNamesTheHold() throws Exception {
        String s1 = backup(1);
        String s2 = backup(2);
        assertThat(run("hold", "add", "--snapshot", s1.substring(0, 8), "--reason", "case 42", "--id", "LEGAL-42")).as(err).isZero();

        assertThat(run("forget", "--keep-last", "1")).as(err).isZero();
        assertThat(out.lines().filter(l -> l.startsWith(s1.substring(0, 8)))).singleElement().asString()
            .contains("keep").contains("hold LEGAL-42 (by snapshot)");
        assertThat(out).contains("forgot 0 snapshots");
        assertThat(snapshotIds()).containsExactlyInAnyOrder(s1, s2);

        assertThat(run("forget", s1)).isEqualTo(ExitCodes.FAILURE);
        assertThat(out).contains("hold LEGAL-42");
        assertThat(err.lines()).singleElement().asString().contains("legal hold LEGAL-42").contains("nothing was forgotten");
        assertThat(snapshotIds()).containsExactlyInAnyOrder(s1, s2);

        assertThat(run("hold", "remove", "LEGAL-42")).as(err).isZero();
        assertThat(run("forget", s1.substring(0, 8), "--json")).as(err).isZero();
        assertThat(json().get("forgotten")).extracting(JsonNode::asText).containsExactly(s1);
        assertThat(snapshotIds()).containsExactly(s2);
    }

    @Test
    void forgetThenPruneFreesBytesAndLeavesACleanRepository() throws Exception {
        backup(1);
        String s2 = backup(2);
        long before = packBytes();

        assertThat(run("forget", "--keep-last", "1", "--prune", "--grace", "0s", NO_SETTLE, "--json")).as(err).isZero();
        JsonNode first = json().get("prune");
        assertThat(first.get("packs_marked").asInt()).as("phase 1 marks the forgotten snapshot's packs").isPositive();
        assertThat(first.get("packs_deleted").asInt()).isZero();

        assertThat(run("prune", "--dry-run", "--grace", "0s")).as(err).isZero();
        assertThat(out).contains("dry run: nothing was changed").contains("would be freed");
        assertThat(packBytes()).as("a dry run deletes nothing").isEqualTo(before);

        assertThat(run("prune", "--grace", "0s", NO_SETTLE, "--json")).as(err).isZero();
        JsonNode second = json();
        assertThat(second.get("packs_deleted").asInt()).isPositive();
        long freed = second.get("freed_bytes").asLong();
        assertThat(freed).isPositive().isEqualTo(before - packBytes());

        assertThat(run("check", "--read-data")).as(out + err).isZero();
        assertThat(out).contains("no errors found");
        assertThat(run("restore", "latest", "--target", tmp.resolve("r").toString())).as(err).isZero();
        io.lifeboat.common.engine.testing.TreeAssertions.assertSameTree(data, tmp.resolve("r/data"));
        assertThat(snapshotIds()).containsExactly(s2);
        assertThat(journalActions()).contains("forget", "prune");

        assertThat(run("prune", "--grace", "0s", NO_SETTLE)).as(err).isZero();
        assertThat(out).contains("packs deleted: 0");

        // The default settle time (1 s, spent walking the snapshots), and one too short for the protocol.
        assertThat(run("prune", "--grace", "0s")).as(err).isZero();
        assertThat(out).contains("packs deleted: 0");
        assertThat(run("prune", "--lease-settle", "300ms")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--lease-settle needs 0s or more than 500ms");
    }

    @Test
    void aSecondPruneWhileTheLeaseIsHeldStopsWithOneClearLine() throws Exception {
        backup(1);
        backup(2);
        assertThat(run("forget", "--keep-last", "1")).as(err).isZero();
        try (PackRepository r = Repositories.open(new LocalObjectStore(repo), "pw".toCharArray());
             MaintenanceLease lease = MaintenanceLease.acquire(r, "ops@other-host", Duration.ofHours(1), Duration.ZERO, d -> { })) {
            assertThat(lease.token()).isPositive();
            assertThat(run("prune", "--grace", "0s", NO_SETTLE)).isEqualTo(ExitCodes.LOCKED);
            assertThat(err.lines()).singleElement().asString()
                .startsWith("lifeboat: another maintenance run holds the repository: ops@other-host");
            assertThat(out).isEmpty();
            assertThat(candidates()).as("the loser marked nothing").isZero();
        }
        assertThat(run("prune", "--grace", "0s", NO_SETTLE)).as(err).isZero();
        assertThat(out).contains("candidates marked: ");
        assertThat(candidates()).isPositive();
    }

    @Test
    void holdWithoutASubcommandIsAUsageErrorBeforeTheRepositoryIsOpened() {
        env.put("LIFEBOAT_REPOSITORY", "local:" + tmp.resolve("no-repository-here"));
        assertThat(run("hold")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).singleElement().asString().isEqualTo("lifeboat: hold needs a subcommand: add, remove or list");
    }

    @Test
    void holdAddListRemoveRoundTrip() throws Exception {
        String s1 = backup(1, "--tag", "finance");
        assertThat(run("hold", "add", "--tag", "finance", "--reason", "audit 2026", "--id", "LEGAL-1", "--expires", "2099-01-01"))
            .as(err).isZero();
        assertThat(out).contains("added hold LEGAL-1 on tag finance");
        assertThat(run("hold", "add", "--snapshot", "latest", "--reason", "case 7", "--json")).as(err).isZero();
        String generated = json().get("id").asText();
        assertThat(json().get("target").asText()).isEqualTo(s1);
        assertThat(generated).startsWith("hold-");

        Hold stored = HoldCodec.decode(Files.readAllBytes(repo.resolve("holds").resolve("LEGAL-1")), "LEGAL-1");
        assertThat(stored.target()).isEqualTo(new HoldTarget.OnTag("finance"));
        assertThat(stored.reason()).isEqualTo("audit 2026");
        assertThat(stored.expiresAt()).isNotNull();

        assertThat(run("hold", "list", "--json")).as(err).isZero();
        assertThat(json().get("holds")).extracting(h -> h.get("id").asText()).containsExactlyInAnyOrder("LEGAL-1", generated);
        assertThat(run("hold", "list")).isZero();
        assertThat(out).contains("LEGAL-1", "tag finance", "audit 2026", "2 holds");

        assertThat(run("hold", "add", "--tag", "x", "--reason", "again", "--id", "LEGAL-1")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.lines()).singleElement().asString().contains("already exists");
        assertThat(run("hold", "add", "--reason", "no target")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("hold", "add", "--tag", "x", "--reason", "r", "--expires", "soon")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).singleElement().asString().contains("--expires");

        assertThat(run("hold", "remove", "LEGAL-1")).as(err).isZero();
        assertThat(run("hold", "list", "--json")).isZero();
        assertThat(json().get("holds")).extracting(h -> h.get("id").asText()).containsExactly(generated);
        assertThat(run("hold", "remove", "LEGAL-1")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.lines()).singleElement().asString().contains("no hold LEGAL-1");
        assertThat(journalActions()).contains("hold-add", "hold-remove");
    }
}
