package io.lifeboat.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the environment file that {@code dev/infra.sh up} writes: {@code export NAME=value} lines,
 * values optionally in single or double quotes. Anything else (comments, blank or malformed lines) is
 * skipped, because the services must start without the local servers and a half-written file must
 * not stop the tests.
 */
final class InfraEnvFile {
    private static final Pattern LINE =
            Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*?)\\s*$");

    private InfraEnvFile() {}

    /** The default location: {@code $LIFEBOAT_INFRA_DIR/env}, else {@code ~/.cache/lifeboat/infra/env}. */
    static Path defaultLocation() {
        String dir = System.getenv("LIFEBOAT_INFRA_DIR");
        Path base = dir == null || dir.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "lifeboat", "infra")
                : Path.of(dir);
        return base.resolve("env");
    }

    /** The variables in {@code file}, in file order; empty when the file does not exist. */
    static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the infra env file " + file, e);
        }
    }

    static Map<String, String> parse(String text) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                String value = unquote(m.group(2));
                if (value != null) {
                    vars.put(m.group(1), value);
                }
            }
        }
        return vars;
    }

    /** The value without its quotes, or null when a quote is left open. */
    private static String unquote(String raw) {
        if (raw.length() >= 1 && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')) {
            char quote = raw.charAt(0);
            if (raw.length() < 2 || raw.charAt(raw.length() - 1) != quote) {
                return null;
            }
            return raw.substring(1, raw.length() - 1);
        }
        return raw;
    }
}
