package io.lifeboat.cli;

import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", description = {"Verify the repository: indexes, packs and every snapshot's trees.",
    "--read-data also reads and verifies every pack; names the snapshots a damaged pack hurts."})
final class CheckCommand extends ReadCommand {
    @Option(names = "--read-data", description = "Read and verify every pack.")
    boolean readData;

    @Option(names = "--read-data-subset", paramLabel = "PERCENT", description = "Read this share of packs, e.g. 5%%.")
    String subset;

    @Override
    int run(Repository repo) {
        double fraction = readData ? 1.0 : subset == null ? 0.0 : parsePercent(subset);
        if (!root.quiet && !root.json) {
            root.err.println("checking packs and indexes" + (fraction > 0
                ? ", reading " + (fraction >= 1 ? "all" : Math.round(fraction * 1000) / 10.0 + "% of the") + " pack data" : ""));
        }
        // The snapshots' trees are read on a thread of their own while the packs are checked: they
        // need no pack data, only the damaged packs found, which are matched up afterwards.
        SnapshotInspector inspector = new SnapshotInspector(repo);
        java.util.concurrent.FutureTask<SnapshotInspector.Walk> walk =
            new java.util.concurrent.FutureTask<>(() -> inspector.walk(repo.snapshots()));
        Thread walker = new Thread(walk, "lifeboat-check-snapshots");
        walker.setDaemon(true);
        walker.start();
        RepositoryBackend.PackCheck packs;
        try {
            packs = root.backend.checkPacks(repo, fraction);
        } catch (RuntimeException | Error e) {
            walk.cancel(true);
            throw e;
        }
        if (!root.quiet && !root.json) {
            root.err.println("checking snapshots");
        }
        SnapshotInspector.CheckResult snaps = inspector.check(await(walk), packs.damagedPacks());
        List<String> problems = new ArrayList<>(packs.problems());
        problems.addAll(snaps.problems());
        snaps.hurtSnapshots().forEach((pack, hurt) -> problems.add("pack " + pack + " is damaged; it hurts "
            + (hurt.isEmpty() ? "no snapshot" : hurt.size() + " snapshot" + (hurt.size() == 1 ? "" : "s") + ": "
                + String.join(", ", hurt.stream().map(s -> s.id().shortHex()).toList()))));
        boolean ok = problems.isEmpty();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ok", Boolean.toString(ok));
        details.put("readDataPercent", Double.toString(fraction * 100));
        details.put("snapshots", Long.toString(snaps.snapshotsChecked()));
        details.put("packsRead", Long.toString(packs.packsRead()));
        details.put("problems", Integer.toString(problems.size()));
        details.put("damagedPacks", String.join(",", snaps.hurtSnapshots().keySet()));
        journal(repo, "check", List.of(), details);
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", ok);
            m.put("snapshots", snaps.snapshotsChecked());
            m.put("trees", snaps.treesChecked());
            m.put("blobs_referenced", snaps.blobsReferenced());
            m.put("packs_read", packs.packsRead());
            m.put("problems", problems);
            m.put("warnings", packs.warnings());
            Map<String, Object> damaged = new LinkedHashMap<>();
            snaps.hurtSnapshots().forEach((pack, hurt) -> damaged.put(pack, hurt.stream().map(s -> s.id().hex()).toList()));
            m.put("damaged_packs", damaged);
            root.printJson(m);
        } else {
            for (String w : packs.warnings()) {
                root.out.println("warning: " + w);
            }
            for (String p : problems) {
                root.out.println("error: " + p);
            }
            root.out.printf("%s: %d snapshots, %d trees, %d blobs referenced, %d packs read%n",
                ok ? "no errors found" : problems.size() + " errors found", snaps.snapshotsChecked(),
                snaps.treesChecked(), snaps.blobsReferenced(), packs.packsRead());
        }
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** The walk's result, or what it threw, as it was thrown. */
    private static SnapshotInspector.Walk await(java.util.concurrent.FutureTask<SnapshotInspector.Walk> walk) {
        try {
            return walk.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", ExitCodes.FAILURE);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    static double parsePercent(String s) {
        String v = s.strip();
        if (v.endsWith("%")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            double d = Double.parseDouble(v) / 100.0;
            if (!(d > 0 && d <= 1)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new CliException("--read-data-subset needs a percentage between 0 and 100, such as 5%, got '"
                + s + "'", ExitCodes.USAGE);
        }
    }
}
