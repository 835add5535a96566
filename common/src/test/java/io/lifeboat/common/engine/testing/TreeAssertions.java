package io.lifeboat.common.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Compares two directory trees: names, types, permission bits, mtimes, link targets and content. */
public final class TreeAssertions {
    private TreeAssertions() {
    }

    public static void assertSameTree(Path a, Path b) throws IOException {
        List<Path> left;
        List<Path> right;
        try (Stream<Path> s = Files.walk(a)) {
            left = s.map(a::relativize).sorted().toList();
        }
        try (Stream<Path> s = Files.walk(b)) {
            right = s.map(b::relativize).sorted().toList();
        }
        assertThat(right).isEqualTo(left);
        for (Path rel : left) {
            Path x = a.resolve(rel);
            Path y = b.resolve(rel);
            Map<String, Object> ax = Files.readAttributes(x, "unix:mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            Map<String, Object> ay = Files.readAttributes(y, "unix:mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            assertThat(ay.get("mode")).as("mode of %s", rel).isEqualTo(ax.get("mode"));
            if (Files.isSymbolicLink(x)) {
                assertThat(Files.readSymbolicLink(y)).as("link %s", rel).isEqualTo(Files.readSymbolicLink(x));
            } else {
                assertThat(ay.get("lastModifiedTime")).as("mtime of %s", rel).isEqualTo(ax.get("lastModifiedTime"));
            }
            if (Files.isRegularFile(x, LinkOption.NOFOLLOW_LINKS)) {
                assertThat(Files.readAllBytes(y)).as("content of %s", rel).isEqualTo(Files.readAllBytes(x));
            }
        }
    }
}
