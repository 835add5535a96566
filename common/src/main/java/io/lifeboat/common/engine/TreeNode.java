package io.lifeboat.common.engine;

import io.lifeboat.common.repository.BlobId;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a {@link Tree}: a file, a directory or a symbolic link, with the metadata needed to
 * restore it and to tell whether it changed since the parent snapshot.
 *
 * @param name the entry's name within its directory; never empty, {@code .}, {@code ..}, and never
 *     containing {@code /} or NUL (see {@link TreeNames#isSafe})
 * @param type what the entry is
 * @param mode permission bits ({@code 07777}), without the file-type bits
 * @param uid numeric owner, or -1 when unknown
 * @param gid numeric group, or -1 when unknown
 * @param user owner name, or empty when unknown
 * @param group group name, or empty when unknown
 * @param mtimeNs last modification, nanoseconds since the epoch
 * @param ctimeNs last status change, nanoseconds since the epoch, or 0 when unknown
 * @param inode inode number, or 0 when unknown
 * @param device device number, or 0 when unknown
 * @param size file size in bytes (0 for directories and symlinks)
 * @param content a file's data blobs in order; empty for an empty file and for other types
 * @param subtree a directory's TREE blob; null for other types
 * @param linkTarget a symlink's target, as stored in the link; null for other types
 * @param etag a file's version tag at the source (an S3 ETag), for sources that detect changes by
 *     it; null when the source has none (file trees). Stored as the optional field {@code etag}.
 */
public record TreeNode(
        String name,
        NodeType type,
        int mode,
        long uid,
        long gid,
        String user,
        String group,
        long mtimeNs,
        long ctimeNs,
        long inode,
        long device,
        long size,
        List<BlobId> content,
        BlobId subtree,
        String linkTarget,
        String etag) {

    public TreeNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        user = user == null ? "" : user;
        group = group == null ? "" : group;
        content = content == null ? List.of() : List.copyOf(content);
        if (type == NodeType.DIR) {
            Objects.requireNonNull(subtree, "a directory node needs a subtree");
        }
        if (type == NodeType.SYMLINK) {
            Objects.requireNonNull(linkTarget, "a symlink node needs a target");
        }
        if (etag != null && type != NodeType.FILE) {
            throw new IllegalArgumentException("only a file node has an etag");
        }
    }

    /** A node without an etag, as every source but object stores makes. */
    public TreeNode(String name, NodeType type, int mode, long uid, long gid, String user, String group,
            long mtimeNs, long ctimeNs, long inode, long device, long size, List<BlobId> content, BlobId subtree,
            String linkTarget) {
        this(name, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, inode, device, size, content, subtree,
            linkTarget, null);
    }

    public boolean isFile() {
        return type == NodeType.FILE;
    }

    public boolean isDir() {
        return type == NodeType.DIR;
    }

    public boolean isSymlink() {
        return type == NodeType.SYMLINK;
    }

    /** A copy of this node with another name (used by sources that rename roots). */
    public TreeNode withName(String newName) {
        return new TreeNode(newName, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, inode, device, size,
            content, subtree, linkTarget, etag);
    }

    /** A builder for nodes; fixtures and sources fill what they know. */
    public static Builder builder(String name, NodeType type) {
        return new Builder(name, type);
    }

    /** Mutable builder for {@link TreeNode}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final NodeType type;
        private int mode = 0644;
        private long uid = -1;
        private long gid = -1;
        private String user = "";
        private String group = "";
        private long mtimeNs;
        private long ctimeNs;
        private long inode;
        private long device;
        private long size;
        private List<BlobId> content = List.of();
        private BlobId subtree;
        private String linkTarget;
        private String etag;

        private Builder(String name, NodeType type) {
            this.name = name;
            this.type = type;
        }

        public Builder mode(int v) { this.mode = v; return this; }
        public Builder uid(long v) { this.uid = v; return this; }
        public Builder gid(long v) { this.gid = v; return this; }
        public Builder user(String v) { this.user = v; return this; }
        public Builder group(String v) { this.group = v; return this; }
        public Builder mtimeNs(long v) { this.mtimeNs = v; return this; }
        public Builder ctimeNs(long v) { this.ctimeNs = v; return this; }
        public Builder inode(long v) { this.inode = v; return this; }
        public Builder device(long v) { this.device = v; return this; }
        public Builder size(long v) { this.size = v; return this; }
        public Builder content(List<BlobId> v) { this.content = v; return this; }
        public Builder subtree(BlobId v) { this.subtree = v; return this; }
        public Builder linkTarget(String v) { this.linkTarget = v; return this; }
        public Builder etag(String v) { this.etag = v; return this; }

        public TreeNode build() {
            return new TreeNode(name, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, inode, device, size,
                content, subtree, linkTarget, etag);
        }
    }
}
