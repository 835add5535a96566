/**
 * The file-tree engine: {@link io.lifeboat.common.engine.files.FileTreeSource} backs up directory
 * trees (regular files, directories, symlinks, permissions, owners, times), reusing the parent
 * snapshot's content for unchanged files; {@link io.lifeboat.common.engine.files.FileTreeTarget}
 * restores them into a directory without ever writing outside it.
 */
package io.lifeboat.common.engine.files;
