package io.lifeboat.common.keys;

import io.lifeboat.common.crypto.AesGcm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory stand-in for AWS KMS in unit tests: keys named by ARN, which can be disabled or
 * deleted; providers that behave like {@code AwsKmsKeyProvider} (record the ARN, bind the
 * encryption context, refuse blobs of another key). Real KMS behaviour is tested in the ITs
 * against the development KMS.
 */
public final class FakeKms implements KmsAccess {
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private int next;

    /** Creates a key; returns its ARN. */
    public synchronized String createKey() {
        String arn = "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-" + String.format("%012d", ++next);
        keys.put(arn, AesGcm.randomBytes(32));
        return arn;
    }

    public void disable(String arn) {
        disabled.add(arn);
    }

    public void delete(String arn) {
        keys.remove(arn);
    }

    @Override
    public KeyProvider provider(String keyId) {
        return new Provider(keyId);
    }

    @Override
    public String describe() {
        return "fake KMS";
    }

    @Override
    public void close() {
    }

    private final class Provider implements KeyProvider {
        private final String arn;

        Provider(String arn) {
            this.arn = arn;
        }

        private byte[] key(String k) {
            byte[] key = keys.get(k);
            if (key == null) {
                throw new KeyProviderException("KMS key " + k + " does not exist (or is not visible to these credentials)");
            }
            if (disabled.contains(k)) {
                throw new KeyProviderException("KMS key " + k + " is disabled");
            }
            return key;
        }

        private static byte[] aad(String arn, Map<String, String> context) {
            return (arn + "|" + new TreeMap<>(context)).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public DataKey generateDataKey(Map<String, String> context) {
            byte[] plaintext = AesGcm.randomBytes(32);
            return new DataKey(plaintext, wrap(plaintext, context));
        }

        private WrappedKey wrap(byte[] plaintext, Map<String, String> context) {
            byte[] blob = new byte[12 + 48];
            AesGcm.randomBytes(blob, 0, 12);
            AesGcm.encrypt(AesGcm.key(key(arn)), blob, 0, aad(arn, context), null, 0, 0, plaintext, 0, 32, blob, 12);
            return new WrappedKey("aws-kms", arn, blob);
        }

        @Override
        public byte[] unwrap(WrappedKey wrapped, Map<String, String> context) {
            if (!"aws-kms".equals(wrapped.provider()) || !arn.equals(wrapped.kekId())) {
                throw new KeyProviderException("the wrapped key was made with KMS key " + wrapped.kekId()
                    + ", but this provider uses KMS key " + arn);
            }
            byte[] blob = wrapped.blob();
            byte[] k = key(arn);
            byte[] p = blob.length < 12 ? null
                : AesGcm.decrypt(AesGcm.key(k), blob, 0, aad(arn, context), null, 0, 0, blob, 12, blob.length - 12);
            if (p == null) {
                throw new KeyProviderException("KMS refused the wrapped key: wrong encryption context or damaged blob");
            }
            return p;
        }

        @Override
        public WrappedKey rewrap(WrappedKey wrapped, String newKekId, Map<String, String> context) {
            byte[] p = unwrap(wrapped, context);
            try {
                return new Provider(newKekId).wrap(p, context);
            } finally {
                Arrays.fill(p, (byte) 0);
            }
        }

        @Override
        public String kekId() {
            if (!keys.containsKey(arn)) {
                throw new KeyProviderException("KMS key " + arn + " does not exist (or is not visible to these credentials)");
            }
            return arn;
        }

        @Override
        public String describe() {
            return "fake KMS key " + arn;
        }
    }
}
