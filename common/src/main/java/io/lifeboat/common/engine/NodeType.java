package io.lifeboat.common.engine;

import io.lifeboat.common.repository.CorruptObjectException;

/** The kinds of node a tree holds; the JSON name is stored in the tree format. */
public enum NodeType {
    FILE("file"),
    DIR("dir"),
    SYMLINK("symlink");

    private final String jsonName;

    NodeType(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** @throws CorruptObjectException for a name this version does not know */
    public static NodeType ofJson(String name) {
        for (NodeType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        throw new CorruptObjectException("tree node has unknown type");
    }
}
