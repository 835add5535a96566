package io.lifeboat.common.engine.postgres.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code synchronous_standby_names} ({@code FIRST 1 (a, b)}, {@code ANY 2 (a, "B", c)},
 * {@code 2 (a, b)}, {@code a, b}, {@code *}) far enough to tell whether it names an application.
 * The server matches names case-insensitively ({@code pg_strcasecmp}), and so does this.
 */
final class SyncStandbyNames {
    private SyncStandbyNames() {
    }

    /** Whether {@code setting} makes a standby called {@code applicationName} a synchronous candidate. */
    static boolean names(String setting, String applicationName) {
        if (setting == null) {
            return false;
        }
        for (String n : list(setting)) {
            if (n.equals("*") || n.equalsIgnoreCase(applicationName)) {
                return true;
            }
        }
        return false;
    }

    /** The standby names in {@code setting}, unquoted names folded to lower case. */
    static List<String> list(String setting) {
        String s = setting.strip();
        int open = s.indexOf('(');
        if (open >= 0) {
            int close = s.lastIndexOf(')');
            s = s.substring(open + 1, close > open ? close : s.length());
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                add(out, cur, wasQuoted);
                cur.setLength(0);
                wasQuoted = false;
            } else if (!Character.isWhitespace(c)) {
                cur.append(c);
            }
        }
        add(out, cur, wasQuoted);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur, boolean quoted) {
        if (cur.length() > 0) {
            out.add(quoted ? cur.toString() : cur.toString().toLowerCase(Locale.ROOT));
        }
    }
}
