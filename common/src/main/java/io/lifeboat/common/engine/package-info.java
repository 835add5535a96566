/**
 * Engines: the ports through which data gets into and out of a repository. A
 * {@link io.lifeboat.common.engine.BackupSource} reads a source (a file tree, a stream, a database)
 * into blobs and commits one snapshot; a {@link io.lifeboat.common.engine.RestoreTarget} writes a
 * snapshot, or part of it, back out. Both describe what they store with the JSON tree model
 * ({@link io.lifeboat.common.engine.Tree}, {@link io.lifeboat.common.engine.TreeNode}, specified in
 * {@code docs/tree-format.md}), so listing, diffing, checking and statistics
 * ({@link io.lifeboat.common.engine.SnapshotInspector}) work the same for every engine.
 */
package io.lifeboat.common.engine;
