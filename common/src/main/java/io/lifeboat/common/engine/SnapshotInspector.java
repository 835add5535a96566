package io.lifeboat.common.engine;

import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Read-only questions about snapshots, answered from their trees: find a path, dump a file, diff two
 * snapshots, statistics, and the snapshot side of {@code check} (every referenced blob is indexed;
 * which snapshots a damaged pack hurts).
 *
 * <p>Threading: every call runs in the calling thread; instances hold no mutable state and may be
 * shared. Errors from loading blobs propagate as {@link RepositoryException}.
 */
public final class SnapshotInspector {
    private final Repository repository;
    private final TreeWalker walker;

    public SnapshotInspector(Repository repository) {
        this.repository = repository;
        this.walker = new TreeWalker(repository);
    }

    /** The node at a {@code /}-separated path of the snapshot, if any. */
    public Optional<TreeNode> find(Snapshot snapshot, String path) {
        List<String> names = TreeWalker.split(path);
        if (names.isEmpty()) {
            return Optional.empty();
        }
        Tree tree = walker.load(snapshot.root());
        TreeNode node = null;
        for (int i = 0; i < names.size(); i++) {
            node = tree.find(names.get(i)).orElse(null);
            if (node == null) {
                return Optional.empty();
            }
            if (i < names.size() - 1) {
                if (!node.isDir()) {
                    return Optional.empty();
                }
                tree = walker.load(node.subtree());
            }
        }
        return Optional.of(node);
    }

    /** Lists every node under {@code path} (the whole snapshot when empty). */
    public void list(Snapshot snapshot, String path, TreeWalker.Visitor visitor) {
        List<String> names = TreeWalker.split(path);
        if (names.isEmpty()) {
            walker.walk(snapshot.root(), visitor);
            return;
        }
        TreeNode node = find(snapshot, path)
            .orElseThrow(() -> new EngineException("path not found in snapshot " + snapshot.id().shortHex() + ": " + path));
        String prefix = String.join("/", names);
        if (visitor.visit(prefix, node) && node.isDir()) {
            walker.walk(node.subtree(), (p, n) -> visitor.visit(prefix + "/" + p, n));
        }
    }

    /**
     * Writes one file's content to {@code out}, blob by blob (memory: one blob).
     *
     * @return the number of bytes written
     * @throws EngineException if the path is missing or not a file
     */
    public long dump(Snapshot snapshot, String path, OutputStream out) throws IOException {
        TreeNode node = find(snapshot, path)
            .orElseThrow(() -> new EngineException("path not found in snapshot " + snapshot.id().shortHex() + ": " + path));
        if (!node.isFile()) {
            throw new EngineException("not a file: " + path);
        }
        long n = 0;
        for (BlobId id : node.content()) {
            byte[] data = repository.loadBlob(id);
            out.write(data);
            n += data.length;
        }
        out.flush();
        return n;
    }

    /** The single file of a snapshot whose root holds exactly one file (a stream snapshot). */
    public Optional<String> singleFile(Snapshot snapshot) {
        Tree root = walker.load(snapshot.root());
        if (root.nodes().size() == 1 && root.nodes().get(0).isFile()) {
            return Optional.of(root.nodes().get(0).name());
        }
        return Optional.empty();
    }

    /** One change between two snapshots. */
    public record Change(Kind kind, String path, NodeType type) {
        /** Added, removed, content (or type) modified, or only metadata changed. */
        public enum Kind { ADDED, REMOVED, MODIFIED, METADATA }

        public String symbol() {
            return switch (kind) {
                case ADDED -> "+";
                case REMOVED -> "-";
                case MODIFIED -> "M";
                case METADATA -> "U";
            };
        }
    }

    /** The changes from {@code a} to {@code b}, in path order; identical subtrees are skipped unread. */
    public List<Change> diff(Snapshot a, Snapshot b) {
        List<Change> out = new ArrayList<>();
        diffTrees("", a.root(), b.root(), out);
        return out;
    }

    private void diffTrees(String prefix, BlobId a, BlobId b, List<Change> out) {
        if (a.equals(b)) {
            return;
        }
        List<TreeNode> left = walker.load(a).nodes();
        List<TreeNode> right = walker.load(b).nodes();
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            int c = i == left.size() ? 1 : j == right.size() ? -1
                : TreeNames.ORDER.compare(left.get(i).name(), right.get(j).name());
            if (c < 0) {
                everything(prefix, left.get(i++), Change.Kind.REMOVED, out);
            } else if (c > 0) {
                everything(prefix, right.get(j++), Change.Kind.ADDED, out);
            } else {
                TreeNode l = left.get(i++);
                TreeNode r = right.get(j++);
                String path = join(prefix, r.name());
                if (l.type() != r.type()) {
                    everything(prefix, l, Change.Kind.REMOVED, out);
                    everything(prefix, r, Change.Kind.ADDED, out);
                } else if (r.isDir()) {
                    if (l.mode() != r.mode() || l.uid() != r.uid() || l.gid() != r.gid()) {
                        out.add(new Change(Change.Kind.METADATA, path, r.type()));
                    }
                    diffTrees(path, l.subtree(), r.subtree(), out);
                } else if (!l.content().equals(r.content()) || !java.util.Objects.equals(l.linkTarget(), r.linkTarget())) {
                    out.add(new Change(Change.Kind.MODIFIED, path, r.type()));
                } else if (l.mode() != r.mode() || l.uid() != r.uid() || l.gid() != r.gid()
                        || l.mtimeNs() != r.mtimeNs()) {
                    out.add(new Change(Change.Kind.METADATA, path, r.type()));
                }
            }
        }
    }

    private void everything(String prefix, TreeNode node, Change.Kind kind, List<Change> out) {
        String path = join(prefix, node.name());
        out.add(new Change(kind, path, node.type()));
        if (node.isDir()) {
            walker.walk(node.subtree(), (p, n) -> {
                out.add(new Change(kind, path + "/" + p, n.type()));
                return true;
            });
        }
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /**
     * Statistics over some snapshots.
     *
     * @param snapshots how many snapshots were counted
     * @param files files summed over the snapshots (a file in two snapshots counts twice)
     * @param dirs directories summed over the snapshots
     * @param logicalBytes file bytes summed over the snapshots, what restoring them all would write
     * @param uniqueFiles distinct file contents
     * @param uniqueBlobs distinct blobs (data and trees) the snapshots reference
     */
    public record Stats(long snapshots, long files, long dirs, long logicalBytes, long uniqueFiles, long uniqueBlobs) {
    }

    public Stats stats(Collection<Snapshot> snapshots) {
        long[] c = new long[3];
        Set<BlobId> blobs = new HashSet<>();
        Set<List<BlobId>> contents = new HashSet<>();
        Map<BlobId, long[]> treeTotals = new HashMap<>();
        for (Snapshot s : snapshots) {
            long[] t = treeStats(s.root(), blobs, contents, treeTotals);
            c[0] += t[0];
            c[1] += t[1];
            c[2] += t[2];
        }
        return new Stats(snapshots.size(), c[0], c[1], c[2], contents.size(), blobs.size());
    }

    /** {files, dirs, bytes} under a tree, memoised per tree id since snapshots share most trees. */
    private long[] treeStats(BlobId id, Set<BlobId> blobs, Set<List<BlobId>> contents, Map<BlobId, long[]> memo) {
        long[] known = memo.get(id);
        if (known != null) {
            return known;
        }
        blobs.add(id);
        long[] t = new long[3];
        for (TreeNode n : walker.load(id).nodes()) {
            switch (n.type()) {
                case FILE -> {
                    t[0]++;
                    t[2] += n.size();
                    if (contents.add(n.content())) {
                        blobs.addAll(n.content());
                    }
                }
                case DIR -> {
                    t[1]++;
                    long[] sub = treeStats(n.subtree(), blobs, contents, memo);
                    t[0] += sub[0];
                    t[1] += sub[1];
                    t[2] += sub[2];
                }
                case SYMLINK -> { }
            }
        }
        memo.put(id, t);
        return t;
    }

    /**
     * The result of the snapshot side of check.
     *
     * @param snapshotsChecked how many snapshots were walked
     * @param treesChecked distinct trees read
     * @param blobsReferenced distinct blobs referenced
     * @param problems one line per problem: a blob that no index names, a tree that fails to load
     * @param hurtSnapshots for each damaged pack given, the snapshots that reference a blob in it
     */
    public record CheckResult(long snapshotsChecked, long treesChecked, long blobsReferenced, List<String> problems,
            Map<String, List<Snapshot>> hurtSnapshots) {

        public boolean ok() {
            return problems.isEmpty() && hurtSnapshots.values().stream().allMatch(List::isEmpty);
        }
    }

    /**
     * Walks every snapshot's trees (each distinct tree once), checks that every referenced blob is in
     * the index, and names the snapshots each damaged pack hurts.
     *
     * @param damagedPacks pack id to the ids of the blobs it holds; empty when data was not read
     */
    public CheckResult check(List<Snapshot> snapshots, Map<String, ? extends Collection<BlobId>> damagedPacks) {
        return check(walk(snapshots), damagedPacks);
    }

    /**
     * The reading half of {@link #check(List, Map)}: loads every snapshot's trees (each distinct tree
     * once) and checks that every referenced blob is in the index. It needs no pack data, so a
     * caller may run it while the packs are read and pass the result to {@link #check(Walk, Map)}.
     */
    public Walk walk(List<Snapshot> snapshots) {
        Walk w = new Walk(snapshots);
        for (Snapshot s : snapshots) {
            walkTree(w, s, s.root(), "");
        }
        return w;
    }

    /** Names the snapshots each damaged pack hurts, from a finished {@link #walk}; reads nothing. */
    public CheckResult check(Walk walk, Map<String, ? extends Collection<BlobId>> damagedPacks) {
        Map<BlobId, List<String>> damagedBlobToPacks = new HashMap<>();
        damagedPacks.forEach((pack, ids) -> ids.forEach(id ->
            damagedBlobToPacks.computeIfAbsent(id, k -> new ArrayList<>()).add(pack)));
        Map<String, List<Snapshot>> hurt = new LinkedHashMap<>();
        damagedPacks.keySet().forEach(p -> hurt.put(p, new ArrayList<>()));
        Map<BlobId, Set<String>> memo = new HashMap<>();
        for (Snapshot s : damagedBlobToPacks.isEmpty() ? List.<Snapshot>of() : walk.snapshots) {
            for (String p : hurts(walk, s.root(), damagedBlobToPacks, memo)) {
                hurt.get(p).add(s);
            }
        }
        return new CheckResult(walk.snapshots.size(), walk.trees.size(), walk.referenced.size(), List.copyOf(walk.problems), hurt);
    }

    /**
     * What {@link #walk} found: per distinct tree its subtrees and data blobs (a tree that is not
     * indexed or does not load has neither), every blob referenced, and the problems in walk order.
     */
    public static final class Walk {
        private final List<Snapshot> snapshots;
        private final Map<BlobId, TreeRefs> trees = new HashMap<>();
        private final Set<BlobId> referenced = new HashSet<>();
        private final List<String> problems = new ArrayList<>();

        private Walk(List<Snapshot> snapshots) {
            this.snapshots = List.copyOf(snapshots);
        }
    }

    private record TreeRefs(List<BlobId> subtrees, List<BlobId> blobs) {
        static final TreeRefs NONE = new TreeRefs(List.of(), List.of());
    }

    private void walkTree(Walk w, Snapshot s, BlobId id, String path) {
        if (w.trees.containsKey(id)) {
            return;
        }
        w.trees.put(id, TreeRefs.NONE);
        w.referenced.add(id);
        String where = "snapshot " + s.id().shortHex() + (path.isEmpty() ? "" : " at " + path);
        if (!repository.contains(id)) {
            w.problems.add(where + ": tree " + id.shortHex()
                + " is not in any index (or only in a pack marked for pruning)");
            return;
        }
        Tree tree;
        try {
            tree = walker.load(id);
        } catch (RepositoryException e) {
            w.problems.add(where + ": tree " + id.shortHex() + " cannot be read: " + e.getMessage());
            return;
        }
        List<BlobId> subtrees = new ArrayList<>();
        List<BlobId> blobs = new ArrayList<>();
        w.trees.put(id, new TreeRefs(subtrees, blobs));
        for (TreeNode n : tree.nodes()) {
            String p = join(path, n.name());
            if (n.isDir()) {
                subtrees.add(n.subtree());
                walkTree(w, s, n.subtree(), p);
            } else if (n.isFile()) {
                for (BlobId b : n.content()) {
                    blobs.add(b);
                    if (w.referenced.add(b) && !repository.contains(b)) {
                        w.problems.add("snapshot " + s.id().shortHex() + " at " + p + ": data blob " + b.shortHex()
                            + " is not in any index (or only in a pack marked for pruning)");
                    }
                }
            }
        }
    }

    /** The damaged packs a tree (recursively) depends on; memoised per tree. */
    private static Set<String> hurts(Walk w, BlobId id, Map<BlobId, List<String>> damaged, Map<BlobId, Set<String>> memo) {
        Set<String> known = memo.get(id);
        if (known != null) {
            return known;
        }
        Set<String> hurts = new HashSet<>();
        memo.put(id, hurts);
        hurts.addAll(damaged.getOrDefault(id, List.of()));
        TreeRefs refs = w.trees.getOrDefault(id, TreeRefs.NONE);
        for (BlobId sub : refs.subtrees()) {
            hurts.addAll(hurts(w, sub, damaged, memo));
        }
        for (BlobId b : refs.blobs()) {
            hurts.addAll(damaged.getOrDefault(b, List.of()));
        }
        return hurts;
    }
}
