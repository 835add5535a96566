package io.lifeboat.cli;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a repository lives, parsed from {@code --repo}, {@code LIFEBOAT_REPOSITORY} or the config
 * file: a local directory ({@code /path}, {@code ./path} or {@code local:/path}) or an S3 bucket
 * ({@code s3:bucket/prefix}; endpoint, region and credentials from the environment, see
 * {@link FormatBackend}).
 */
public sealed interface RepositoryLocation {

    /** A directory on a local or mounted file system. */
    record Local(Path path) implements RepositoryLocation {
        @Override
        public String toString() {
            return "local:" + path;
        }
    }

    /** A bucket, with an optional key prefix. */
    record S3(String bucket, String prefix) implements RepositoryLocation {
        @Override
        public String toString() {
            return "s3:" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    /**
     * Parses a location.
     *
     * @throws IllegalArgumentException with a one-line message for an empty value or an unknown scheme
     */
    static RepositoryLocation parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("no repository given: pass --repo, set LIFEBOAT_REPOSITORY, "
                + "or put repository= in the config file");
        }
        String v = value.strip();
        int colon = v.indexOf(':');
        int slash = v.indexOf('/');
        if (colon > 0 && (slash < 0 || colon < slash)) {
            String scheme = v.substring(0, colon).toLowerCase(Locale.ROOT);
            String rest = v.substring(colon + 1);
            switch (scheme) {
                case "local" -> {
                    if (rest.isEmpty()) {
                        throw new IllegalArgumentException("local repository needs a path, as in local:/srv/backup");
                    }
                    return new Local(Path.of(rest).toAbsolutePath().normalize());
                }
                case "s3" -> {
                    String r = rest.startsWith("//") ? rest.substring(2) : rest;
                    int s = r.indexOf('/');
                    String bucket = s < 0 ? r : r.substring(0, s);
                    String prefix = s < 0 ? "" : r.substring(s + 1).replaceAll("/+$", "");
                    if (bucket.isEmpty()) {
                        throw new IllegalArgumentException("s3 repository needs a bucket, as in s3:my-bucket/prefix");
                    }
                    return new S3(bucket, prefix);
                }
                default -> throw new IllegalArgumentException("unsupported repository scheme '" + scheme
                    + "' (supported: local:/path, s3:bucket/prefix)");
            }
        }
        return new Local(Path.of(v).toAbsolutePath().normalize());
    }
}
