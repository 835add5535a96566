package io.lifeboat.common.engine.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The metadata of one file-system entry, read without following symlinks through the {@code unix}
 * attribute view (mode, uid/gid, inode, device, ctime); falls back to the basic view where the
 * platform has no {@code unix} view.
 */
record FileAttrs(Kind kind, int mode, long uid, long gid, String user, String group, long mtimeNs, long ctimeNs,
        long inode, long device, long size) {

    enum Kind { FILE, DIR, SYMLINK, OTHER }

    private static final boolean UNIX_VIEW =
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    static FileAttrs read(Path p) throws IOException {
        if (!UNIX_VIEW) {
            var b = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
            Kind k = b.isSymbolicLink() ? Kind.SYMLINK : b.isDirectory() ? Kind.DIR
                : b.isRegularFile() ? Kind.FILE : Kind.OTHER;
            return new FileAttrs(k, k == Kind.DIR ? 0755 : 0644, -1, -1, "", "",
                nanos(b.lastModifiedTime()), 0, 0, 0, b.size());
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int rawMode = (Integer) a.get("mode");
        Kind kind = switch (rawMode & 0170000) {
            case 0100000 -> Kind.FILE;
            case 0040000 -> Kind.DIR;
            case 0120000 -> Kind.SYMLINK;
            default -> Kind.OTHER;
        };
        Object owner = a.get("owner");
        Object group = a.get("group");
        return new FileAttrs(kind, rawMode & 07777,
            ((Integer) a.get("uid")) & 0xffffffffL, ((Integer) a.get("gid")) & 0xffffffffL,
            owner instanceof UserPrincipal u ? u.getName() : "",
            group instanceof GroupPrincipal g ? g.getName() : "",
            nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")),
            (Long) a.get("ino"), (Long) a.get("dev"), (Long) a.get("size"));
    }

    static long nanos(FileTime t) {
        return t == null ? 0 : t.to(TimeUnit.NANOSECONDS);
    }
}
