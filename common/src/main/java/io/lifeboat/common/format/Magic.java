package io.lifeboat.common.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The four-byte ASCII magics that open (or, for packs, close) every binary object. */
public enum Magic {
    CONFIG("LBCF"),
    KEYRING("LBKR"),
    INDEX("LBIX"),
    SNAPSHOT("LBSN"),
    JOURNAL("LBJN"),
    PACK_TRAILER("LBPT"),
    KEY_SLOT("LBKS"),
    PRUNE_CANDIDATE("LBPC"),
    MAINTENANCE_CLAIM("LBML"),
    BACKUP_SESSION("LBBS"),
    WAL_OBJECT("LBWL"),
    PACK_END("LBP1");

    private final byte[] bytes;

    Magic(String ascii) {
        this.bytes = ascii.getBytes(StandardCharsets.US_ASCII);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public void writeTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, 4);
    }

    public boolean matches(byte[] src, int off) {
        return src.length - off >= 4 && Arrays.equals(bytes, 0, 4, src, off, off + 4);
    }
}
