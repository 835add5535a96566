package io.lifeboat.common.keys;

/**
 * A key management service as a whole: hands out {@link KeyProvider}s bound to any of its keys.
 * Opening a repository needs this rather than one provider, because each {@code kms} key slot
 * names its own KEK (after a rotation, an old and a new one may coexist).
 *
 * <p>Threading: safe for concurrent use. Providers it returns share its connection; they need not
 * be closed, and they stop working when this access is closed.
 */
public interface KmsAccess extends AutoCloseable {

    /**
     * A provider bound to {@code keyId}: a key id, key ARN, alias name or alias ARN. Makes no call
     * to the service.
     */
    KeyProvider provider(String keyId);

    /** Endpoint and region for messages; never credentials. */
    String describe();

    @Override
    void close();
}
