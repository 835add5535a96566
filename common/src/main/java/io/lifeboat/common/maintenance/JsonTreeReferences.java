package io.lifeboat.common.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.common.format.Json;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.CorruptObjectException;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Reads references from TREE blobs of docs/tree-format.md generically, without the engine's
 * strict decoder: {@code nodes[].content[]} are DATA blob ids, {@code nodes[].subtree} is a TREE
 * blob id; every other field is ignored, so trees of later engines (and fields) still keep their
 * blobs alive. A tree that is not JSON, has no {@code nodes} array, or names a malformed id is
 * corrupt.
 */
public final class JsonTreeReferences implements TreeReferences {

    @Override
    public void references(BlobId treeId, byte[] plaintext, Consumer<BlobId> data, Consumer<BlobId> subtrees) {
        String object = "tree " + treeId.hex();
        JsonNode root;
        try {
            root = Json.mapper().readTree(plaintext);
        } catch (IOException e) {
            throw new CorruptObjectException(object + " is corrupt: not JSON");
        }
        if (root == null || !root.path("nodes").isArray()) {
            throw new CorruptObjectException(object + " is corrupt: no nodes array");
        }
        for (JsonNode node : root.get("nodes")) {
            JsonNode content = node.get("content");
            if (content != null && !content.isNull()) {
                if (!content.isArray()) {
                    throw new CorruptObjectException(object + " is corrupt: content is not an array");
                }
                for (JsonNode id : content) {
                    data.accept(parse(id, object));
                }
            }
            JsonNode subtree = node.get("subtree");
            if (subtree != null && !subtree.isNull()) {
                subtrees.accept(parse(subtree, object));
            }
        }
    }

    private static BlobId parse(JsonNode id, String object) {
        if (!id.isTextual()) {
            throw new CorruptObjectException(object + " is corrupt: a blob id is not a string");
        }
        try {
            return BlobId.parse(id.asText());
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(object + " is corrupt: malformed blob id");
        }
    }
}
