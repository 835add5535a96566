package io.lifeboat.common.keys;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.crypto.Hkdf;
import io.lifeboat.common.crypto.HmacSha256;
import javax.crypto.SecretKey;

/**
 * The subkeys derived from a repository's master key with HKDF-SHA256 (format section 3). Holds
 * no copy of the master key itself.
 */
public final class MasterKeys {
    public static final int MASTER_KEY_LENGTH = 32;

    private final HmacSha256 blobIdMac;
    private final SecretKey metadataKey;
    private final HmacSha256 signer;
    private final SecretKey keyringKey;

    private MasterKeys(byte[] master) {
        this.blobIdMac = new HmacSha256(Hkdf.derive(master, "lifeboat/v1/blob-id", 32));
        this.metadataKey = AesGcm.key(Hkdf.derive(master, "lifeboat/v1/metadata", 32));
        this.signer = new HmacSha256(Hkdf.derive(master, "lifeboat/v1/signing", 32));
        this.keyringKey = AesGcm.key(Hkdf.derive(master, "lifeboat/v1/keyring", 32));
    }

    public static MasterKeys derive(byte[] master) {
        if (master.length != MASTER_KEY_LENGTH) {
            throw new IllegalArgumentException("master key must be 32 bytes");
        }
        return new MasterKeys(master);
    }

    public static byte[] newMasterKey() {
        return AesGcm.randomBytes(MASTER_KEY_LENGTH);
    }

    public HmacSha256 blobIdMac() {
        return blobIdMac;
    }

    public SecretKey metadataKey() {
        return metadataKey;
    }

    public HmacSha256 signer() {
        return signer;
    }

    public SecretKey keyringKey() {
        return keyringKey;
    }

    @Override
    public String toString() {
        return "MasterKeys[redacted]";
    }
}
