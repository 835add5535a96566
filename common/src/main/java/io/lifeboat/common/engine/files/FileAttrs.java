package io.lifeboat.common.engine.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Everything but the owner and group names, which the JDK would look up for every file. */
    private static final String UNIX_NUMERIC = "unix:mode,uid,gid,ino,dev,ctime,size,lastModifiedTime";
    private static final Map<Integer, String> USER_NAMES = new ConcurrentHashMap<>();
    private static final Map<Integer, String> GROUP_NAMES = new ConcurrentHashMap<>();

    static FileAttrs read(Path p) throws IOException {
        if (!UNIX_VIEW) {
            var b = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
            Kind k = b.isSymbolicLink() ? Kind.SYMLINK : b.isDirectory() ? Kind.DIR
                : b.isRegularFile() ? Kind.FILE : Kind.OTHER;
            return new FileAttrs(k, k == Kind.DIR ? 0755 : 0644, -1, -1, "", "",
                nanos(b.lastModifiedTime()), 0, 0, 0, b.size());
        }
        Map<String, Object> a = Files.readAttributes(p, UNIX_NUMERIC, LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        String user = USER_NAMES.get(uid);
        String group = GROUP_NAMES.get(gid);
        if (user == null || group == null) {
            // Names cost a passwd/group database lookup each; one per id for the whole process.
            Map<String, Object> named = Files.readAttributes(p, "unix:uid,gid,owner,group", LinkOption.NOFOLLOW_LINKS);
            user = named.get("owner") instanceof UserPrincipal u ? u.getName() : "";
            group = named.get("group") instanceof GroupPrincipal g ? g.getName() : "";
            USER_NAMES.putIfAbsent((Integer) named.get("uid"), user);
            GROUP_NAMES.putIfAbsent((Integer) named.get("gid"), group);
        }
        int rawMode = (Integer) a.get("mode");
        Kind kind = switch (rawMode & 0170000) {
            case 0100000 -> Kind.FILE;
            case 0040000 -> Kind.DIR;
            case 0120000 -> Kind.SYMLINK;
            default -> Kind.OTHER;
        };
        return new FileAttrs(kind, rawMode & 07777, uid & 0xffffffffL, gid & 0xffffffffL, user, group,
            nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")),
            (Long) a.get("ino"), (Long) a.get("dev"), (Long) a.get("size"));
    }

    static long nanos(FileTime t) {
        return t == null ? 0 : t.to(TimeUnit.NANOSECONDS);
    }
}
