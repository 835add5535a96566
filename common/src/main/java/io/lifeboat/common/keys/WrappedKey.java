package io.lifeboat.common.keys;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A data key wrapped under a KEK, as stored in a key slot. Not secret: it is useless without the
 * KEK.
 *
 * @param provider the provider type that made it ({@code aws-kms}, {@code local})
 * @param kekId the KEK that wrapped it, as the key service reported it (for AWS KMS the key ARN,
 *     even when the caller named an alias)
 * @param blob the opaque wrapped key
 */
public record WrappedKey(String provider, String kekId, byte[] blob) {
    public WrappedKey {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kekId, "kekId");
        Objects.requireNonNull(blob, "blob");
        blob = blob.clone();
    }

    @Override
    public byte[] blob() {
        return blob.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKey w && provider.equals(w.provider) && kekId.equals(w.kekId)
                && Arrays.equals(blob, w.blob);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, kekId, Arrays.hashCode(blob));
    }

    @Override
    public String toString() {
        return "WrappedKey[provider=" + provider + ", kekId=" + kekId + ", blob="
                + HexFormat.of().formatHex(blob, 0, Math.min(8, blob.length)) + "... (" + blob.length + " bytes)]";
    }
}
