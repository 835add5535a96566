package io.lifeboat.common.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF-SHA256 (RFC 5869) with an empty salt, as the format derives every subkey. */
public final class Hkdf {
    private Hkdf() {
    }

    public static byte[] derive(byte[] ikm, String info, int length) {
        HKDFBytesGenerator gen = new HKDFBytesGenerator(new SHA256Digest());
        gen.init(new HKDFParameters(ikm, null, info.getBytes(StandardCharsets.US_ASCII)));
        byte[] out = new byte[length];
        gen.generateBytes(out, 0, length);
        return out;
    }
}
