package io.lifeboat.common.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.CorruptObjectException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One directory listing, stored as a TREE blob: JSON {@code {"version":1,"nodes":[...]}} with nodes
 * sorted by {@link TreeNames#ORDER} and names unique. The schema is specified in
 * {@code docs/tree-format.md}. A large directory is one blob (it may be several MiB).
 *
 * <p>Decoding is strict: any malformation (not JSON, wrong version, unknown type, a missing or
 * mistyped field, an unsafe name, names out of order or repeated) gives a
 * {@link CorruptObjectException} that names the problem, never the content.
 */
public record Tree(List<TreeNode> nodes) {
    public static final int VERSION = 1;
    private static final JsonFactory JSON = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).build())
        .build();

    public Tree {
        nodes = List.copyOf(nodes);
        for (int i = 1; i < nodes.size(); i++) {
            if (TreeNames.ORDER.compare(nodes.get(i - 1).name(), nodes.get(i).name()) >= 0) {
                throw new IllegalArgumentException("tree nodes must be sorted by name and unique");
            }
        }
    }

    /** Builds a tree from nodes in any order. */
    public static Tree of(List<TreeNode> unsorted) {
        List<TreeNode> sorted = new ArrayList<>(unsorted);
        sorted.sort((a, b) -> TreeNames.ORDER.compare(a.name(), b.name()));
        return new Tree(sorted);
    }

    public Optional<TreeNode> find(String name) {
        int lo = 0;
        int hi = nodes.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = TreeNames.ORDER.compare(nodes.get(mid).name(), name);
            if (c == 0) {
                return Optional.of(nodes.get(mid));
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.empty();
    }

    /** The canonical JSON encoding: equal trees give equal bytes, hence equal blob ids. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + nodes.size() * 200);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeArrayFieldStart("nodes");
            for (TreeNode n : nodes) {
                g.writeStartObject();
                g.writeStringField("name", n.name());
                g.writeStringField("type", n.type().jsonName());
                g.writeNumberField("mode", n.mode());
                g.writeNumberField("uid", n.uid());
                g.writeNumberField("gid", n.gid());
                g.writeStringField("user", n.user());
                g.writeStringField("group", n.group());
                g.writeNumberField("mtime", n.mtimeNs());
                g.writeNumberField("ctime", n.ctimeNs());
                g.writeNumberField("inode", n.inode());
                g.writeNumberField("device", n.device());
                g.writeNumberField("size", n.size());
                switch (n.type()) {
                    case FILE -> {
                        g.writeArrayFieldStart("content");
                        for (BlobId id : n.content()) {
                            g.writeString(id.hex());
                        }
                        g.writeEndArray();
                        if (n.etag() != null) {
                            g.writeStringField("etag", n.etag());
                        }
                    }
                    case DIR -> g.writeStringField("subtree", n.subtree().hex());
                    case SYMLINK -> g.writeStringField("target", n.linkTarget());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Parses a TREE blob.
     *
     * @throws CorruptObjectException for any malformation
     */
    public static Tree decode(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
            Integer version = null;
            List<TreeNode> nodes = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "version" -> {
                        expect(t == JsonToken.VALUE_NUMBER_INT, "version is not an integer");
                        version = p.getIntValue();
                    }
                    case "nodes" -> {
                        expect(t == JsonToken.START_ARRAY, "nodes is not an array");
                        nodes = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            expect(p.currentToken() == JsonToken.START_OBJECT, "node is not an object");
                            nodes.add(readNode(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken() == JsonToken.END_OBJECT, "truncated");
            expect(p.nextToken() == null, "trailing data");
            expect(version != null, "version missing");
            expect(version == VERSION, "unsupported tree version " + version);
            expect(nodes != null, "nodes missing");
            for (int i = 1; i < nodes.size(); i++) {
                expect(TreeNames.ORDER.compare(nodes.get(i - 1).name(), nodes.get(i).name()) < 0,
                    "node names out of order or repeated");
            }
            return new Tree(nodes);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new CorruptObjectException("tree blob is not valid JSON of the tree format", e);
        }
    }

    private static TreeNode readNode(JsonParser p) throws IOException {
        String name = null;
        String type = null;
        Integer mode = null;
        long uid = -1;
        long gid = -1;
        String user = "";
        String group = "";
        Long mtime = null;
        long ctime = 0;
        long inode = 0;
        long device = 0;
        long size = 0;
        List<BlobId> content = null;
        String subtree = null;
        String target = null;
        String etag = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> name = string(p, t, field);
                case "type" -> type = string(p, t, field);
                case "mode" -> mode = (int) number(p, t, field);
                case "uid" -> uid = number(p, t, field);
                case "gid" -> gid = number(p, t, field);
                case "user" -> user = string(p, t, field);
                case "group" -> group = string(p, t, field);
                case "mtime" -> mtime = number(p, t, field);
                case "ctime" -> ctime = number(p, t, field);
                case "inode" -> inode = number(p, t, field);
                case "device" -> device = number(p, t, field);
                case "size" -> size = number(p, t, field);
                case "content" -> {
                    expect(t == JsonToken.START_ARRAY, "content is not an array");
                    content = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        content.add(blobId(p, p.currentToken(), "content"));
                    }
                }
                case "subtree" -> subtree = string(p, t, field);
                case "target" -> target = string(p, t, field);
                case "etag" -> etag = string(p, t, field);
                default -> p.skipChildren();
            }
        }
        expect(name != null, "node name missing");
        expect(TreeNames.isSafe(name), "node name is unsafe (empty, '.', '..', or contains '/' or NUL)");
        expect(type != null, "node type missing");
        expect(mode != null && mode >= 0 && mode <= 07777, "node mode missing or out of range");
        expect(mtime != null, "node mtime missing");
        expect(size >= 0, "node size negative");
        NodeType nodeType = NodeType.ofJson(type);
        BlobId sub = null;
        switch (nodeType) {
            case FILE -> expect(content != null, "file node without content");
            case DIR -> {
                expect(subtree != null, "dir node without subtree");
                sub = parseId(subtree);
            }
            case SYMLINK -> expect(target != null, "symlink node without target");
        }
        return new TreeNode(name, nodeType, mode, uid, gid, user, group, mtime, ctime, inode, device, size,
            nodeType == NodeType.FILE ? content : List.of(), sub, nodeType == NodeType.SYMLINK ? target : null,
            nodeType == NodeType.FILE ? etag : null);
    }

    private static String string(JsonParser p, JsonToken t, String field) throws IOException {
        expect(t == JsonToken.VALUE_STRING, field + " is not a string");
        return p.getText();
    }

    private static long number(JsonParser p, JsonToken t, String field) throws IOException {
        expect(t == JsonToken.VALUE_NUMBER_INT, field + " is not an integer");
        return p.getLongValue();
    }

    private static BlobId blobId(JsonParser p, JsonToken t, String field) throws IOException {
        return parseId(string(p, t, field));
    }

    private static BlobId parseId(String hex) {
        try {
            return BlobId.parse(hex);
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException("tree holds a malformed blob id");
        }
    }

    private static void expect(boolean ok, String problem) {
        if (!ok) {
            throw new CorruptObjectException("tree blob is malformed: " + problem);
        }
    }
}
