package io.lifeboat.common.engine.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The libpq password file ({@code ~/.pgpass}, {@code PGPASSFILE}): lines
 * {@code hostname:port:database:username:password}, {@code *} matching anything in the first four
 * fields, {@code \:} and {@code \\} escaping, {@code #} starting a comment; the first matching line wins.
 */
final class PgPassFile {
    private PgPassFile() {
    }

    static Optional<String> lookup(String text, String host, int port, String database, String user) {
        for (String raw : text.split("\\R")) {
            if (raw.isBlank() || raw.startsWith("#")) {
                continue;
            }
            List<String> f = fields(raw);
            if (f.size() != 5) {
                continue;
            }
            if (matches(f.get(0), host) && matches(f.get(1), Integer.toString(port)) && matches(f.get(2), database)
                    && matches(f.get(3), user)) {
                return Optional.of(f.get(4));
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value)
            || (pattern.equals("localhost") && value.startsWith("/"));
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == ':' && out.size() < 4) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
