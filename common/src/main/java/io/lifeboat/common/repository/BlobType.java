package io.lifeboat.common.repository;

/** What a blob holds; stored in the pack header and the index, one byte each. */
public enum BlobType {
    /** File or stream content: one chunk. */
    DATA(0),
    /** A directory listing or other engine metadata (JSON), referencing other blobs. */
    TREE(1);

    private final int code;

    BlobType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static BlobType ofCode(int code) {
        for (BlobType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new CorruptObjectException("unknown blob type " + code);
    }
}
