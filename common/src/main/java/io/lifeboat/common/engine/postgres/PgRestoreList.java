package io.lifeboat.common.engine.postgres;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses the archive entries of a single-table restore from {@code pg_restore --list} output, for
 * {@code pg_restore --use-list}. Unlike {@code pg_restore -t}, which restores a table's definition and
 * data only, this also restores its indexes, constraints, triggers, column defaults, owned sequences,
 * comments and privileges, and its foreign keys whose referenced table will exist.
 *
 * <p>A listing line is {@code ID; OID OID TYPE SCHEMA TAG OWNER}; entries are matched on the exact
 * {@code TYPE SCHEMA TAG} (the owner, the last word, is dropped), using the object names recorded in the
 * manifest, so a table whose name is a prefix of another's never picks up the other's entries. The
 * chosen lines keep the archive's order, which a restore from a pipe requires.
 */
final class PgRestoreList {
    private static final Pattern ENTRY = Pattern.compile("^(\\d+); \\d+ \\d+ (.+)$");

    /** The chosen lines, and one note per foreign key left out. */
    record Selection(List<String> lines, List<String> skipped) {
    }

    private PgRestoreList() {
    }

    /**
     * @param listing {@code pg_restore --list} output
     * @param tables the tables to restore, with their recorded dependents
     * @param available true for a {@code schema.table} that exists in the target or is restored too
     */
    static Selection select(String listing, List<PostgresManifest.TableStats> tables, Predicate<String> available) {
        Set<String> wanted = new HashSet<>();
        List<String> prefixes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (PostgresManifest.TableStats t : tables) {
            String s = t.schema();
            String n = t.table();
            PostgresManifest.Dependents d = t.dependents();
            wanted.add("TABLE " + s + " " + n);
            wanted.add("TABLE DATA " + s + " " + n);
            wanted.add("ROW SECURITY " + s + " " + n);
            for (String name : identifierForms(n)) {
                wanted.add("COMMENT " + s + " TABLE " + name);
                wanted.add("ACL " + s + " TABLE " + name);
                wanted.add("SECURITY LABEL " + s + " TABLE " + name);
                prefixes.add("COMMENT " + s + " COLUMN " + name + ".");
                prefixes.add("ACL " + s + " COLUMN " + name + ".");
            }
            d.constraints().forEach(c -> wanted.add("CONSTRAINT " + s + " " + n + " " + c));
            d.indexes().forEach(i -> wanted.add("INDEX " + s + " " + i));
            d.triggers().forEach(g -> wanted.add("TRIGGER " + s + " " + n + " " + g));
            d.defaults().forEach(col -> wanted.add("DEFAULT " + s + " " + n + " " + col));
            for (String q : d.sequences()) {
                wanted.add("SEQUENCE " + s + " " + q);
                wanted.add("SEQUENCE OWNED BY " + s + " " + q);
                wanted.add("SEQUENCE SET " + s + " " + q);
                for (String name : identifierForms(q)) {
                    wanted.add("COMMENT " + s + " SEQUENCE " + name);
                    wanted.add("ACL " + s + " SEQUENCE " + name);
                }
            }
            for (PostgresManifest.ForeignKey fk : d.foreignKeys()) {
                if (available.test(fk.schema() + "." + fk.table())) {
                    wanted.add("FK CONSTRAINT " + s + " " + n + " " + fk.name());
                } else {
                    skipped.add("foreign key " + fk.name() + " of " + t.qualified() + " not restored: it references "
                        + fk.schema() + "." + fk.table() + ", which is not in the target");
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (String line : listing.split("\\R")) {
            Matcher m = ENTRY.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String rest = m.group(2);
            int lastSpace = rest.lastIndexOf(' ');
            String body = lastSpace < 0 ? rest : rest.substring(0, lastSpace);
            if (wanted.contains(body) || wanted.contains(rest) || prefixes.stream().anyMatch(body::startsWith)) {
                lines.add(line);
            }
        }
        return new Selection(lines, skipped);
    }

    /** A name as pg_dump may print it in a COMMENT or ACL tag: bare, and quoted as an identifier. */
    private static List<String> identifierForms(String name) {
        return List.of(name, "\"" + name.replace("\"", "\"\"") + "\"");
    }
}
