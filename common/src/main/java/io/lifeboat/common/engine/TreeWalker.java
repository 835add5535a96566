package io.lifeboat.common.engine;

import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;

/**
 * Walks a snapshot's trees depth-first in name order, loading each TREE blob once per visit.
 * Paths are {@code /}-separated and relative to the snapshot root (no leading slash).
 *
 * <p>Threading: one walk runs in the calling thread; the walker itself holds no state.
 */
public final class TreeWalker {

    /** Receives every node of a walk. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * Called for every node before its children.
         *
         * @return false to skip a directory's children
         */
        boolean visit(String path, TreeNode node);
    }

    private final Repository repository;

    public TreeWalker(Repository repository) {
        this.repository = repository;
    }

    public Tree load(BlobId treeId) {
        return Tree.decode(repository.loadBlob(treeId));
    }

    public void walk(BlobId root, Visitor visitor) {
        walk("", load(root), visitor);
    }

    private void walk(String prefix, Tree tree, Visitor visitor) {
        for (TreeNode n : tree.nodes()) {
            String path = prefix.isEmpty() ? n.name() : prefix + "/" + n.name();
            if (visitor.visit(path, n) && n.isDir()) {
                walk(path, load(n.subtree()), visitor);
            }
        }
    }

    /** Splits a user-given snapshot path ({@code /a/b}, {@code a/b/}) into names; empty for the root. */
    public static java.util.List<String> split(String path) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                parts.add(s);
            }
        }
        return parts;
    }

}
