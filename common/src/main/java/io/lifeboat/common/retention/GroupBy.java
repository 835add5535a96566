package io.lifeboat.common.retention;

import java.util.Locale;

/**
 * A snapshot attribute that separates retention groups: the policy is applied to each group on
 * its own, so the newest snapshot of one host never pushes another host's snapshots out.
 */
public enum GroupBy {
    HOST("host"),
    SOURCE_TYPE("type"),
    PATHS("paths"),
    TAGS("tags");

    private final String flag;

    GroupBy(String flag) {
        this.flag = flag;
    }

    /** The name used in {@code --group-by host,type,paths,tags}. */
    public String flag() {
        return flag;
    }

    public static GroupBy fromFlag(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (GroupBy g : values()) {
            if (g.flag.equals(n)) {
                return g;
            }
        }
        throw new RetentionPolicyException("--group-by: unknown attribute '" + name
            + "'; expected host, type, paths or tags");
    }
}
