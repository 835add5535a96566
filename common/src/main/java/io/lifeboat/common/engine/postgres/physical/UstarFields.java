package io.lifeboat.common.engine.postgres.physical;

/**
 * Numeric fields of a 512-byte ustar header, shared by the tar scanner (backup) and the extractor
 * (restore). Both return -1 for anything malformed instead of throwing, so each caller names the
 * member and the problem in its own error.
 */
final class UstarFields {
    private UstarFields() {
    }

    /**
     * The member size at offset 124: octal digits, or the GNU base-256 form (high bit of the first
     * byte set, the other 7 bits of that byte zero, 11 big-endian bytes); -1 if malformed or above
     * {@link Long#MAX_VALUE}.
     */
    static long size(byte[] header) {
        if ((header[124] & 0x80) != 0) {
            if ((header[124] & 0x7F) != 0) {
                return -1;
            }
            long v = 0;
            for (int k = 125; k < 136; k++) {
                if (v > (Long.MAX_VALUE >>> 8)) {
                    return -1;
                }
                v = (v << 8) | (header[k] & 0xFF);
            }
            return v;
        }
        return octal(header, 124, 12);
    }

    /**
     * An octal field of {@code len} bytes at {@code off}: leading spaces or NULs skipped, digits up
     * to the first space or NUL; -1 if empty, not octal, or above {@link Long#MAX_VALUE}.
     */
    static long octal(byte[] header, int off, int len) {
        long v = 0;
        boolean digits = false;
        for (int k = off; k < off + len; k++) {
            int c = header[k] & 0xFF;
            if (c == 0 || c == ' ') {
                if (digits) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7' || v > (Long.MAX_VALUE >>> 3)) {
                return -1;
            }
            v = v * 8 + (c - '0');
            digits = true;
        }
        return digits ? v : -1;
    }

    /** True for an all-zero block: the end-of-archive marker. */
    static boolean isZero(byte[] header) {
        for (byte x : header) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if the stored checksum (offset 148) equals the sum of the header's bytes with the
     * checksum field counted as spaces; {@code acceptSigned} also accepts the sum of signed bytes
     * that some historic tar writers stored.
     */
    static boolean checksumOk(byte[] header, boolean acceptSigned) {
        long stored = octal(header, 148, 8);
        if (stored < 0) {
            return false;
        }
        long unsigned = 0;
        long signed = 0;
        for (int k = 0; k < 512; k++) {
            boolean field = k >= 148 && k < 156;
            unsigned += field ? ' ' : (header[k] & 0xFF);
            signed += field ? ' ' : header[k];
        }
        return stored == unsigned || (acceptSigned && stored == signed);
    }
}
