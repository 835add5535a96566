package io.lifeboat.common.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link KeyProvider} adapter must show. An adapter's test supplies two
 * providers bound to two different KEKs; the first may re-wrap to the second.
 */
public abstract class KeyProviderContractTest {
    protected static final Map<String, String> CONTEXT = Map.of("repository", "3f9a1c", "slot", "kms-1");

    protected KeyProvider provider;
    protected KeyProvider other;

    /** A provider for KEK A, able to re-wrap to {@link #otherProvider()}'s KEK. */
    protected abstract KeyProvider newProvider() throws Exception;

    /** A provider for a different KEK B. */
    protected abstract KeyProvider otherProvider() throws Exception;

    @BeforeEach
    void openProviders() throws Exception {
        provider = newProvider();
        other = otherProvider();
    }

    @AfterEach
    void closeProviders() {
        provider.close();
        other.close();
    }

    @Test
    void aDataKeyUnwrapsToTheSamePlaintext() {
        DataKey key = provider.generateDataKey(CONTEXT);
        assertThat(key.plaintext()).hasSize(KeyProvider.DATA_KEY_LENGTH);
        assertThat(key.wrapped().kekId()).isEqualTo(provider.kekId());
        assertThat(java.util.HexFormat.of().formatHex(key.wrapped().blob()))
                .doesNotContain(java.util.HexFormat.of().formatHex(key.plaintext()));
        assertThat(provider.unwrap(key.wrapped(), CONTEXT)).isEqualTo(key.plaintext());
        assertThat(key.toString()).doesNotContain(java.util.HexFormat.of().formatHex(key.plaintext()));
    }

    @Test
    void everyDataKeyIsFresh() {
        DataKey a = provider.generateDataKey(CONTEXT);
        DataKey b = provider.generateDataKey(CONTEXT);
        assertThat(a.plaintext()).isNotEqualTo(b.plaintext());
        assertThat(a.wrapped().blob()).isNotEqualTo(b.wrapped().blob());
    }

    @Test
    void anEmptyContextWorksButMustMatch() {
        DataKey key = provider.generateDataKey(Map.of());
        assertThat(provider.unwrap(key.wrapped(), Map.of())).isEqualTo(key.plaintext());
        assertThatThrownBy(() -> provider.unwrap(key.wrapped(), CONTEXT)).isInstanceOf(KeyProviderException.class);
    }

    @Test
    void aWrongContextIsRefused() {
        DataKey key = provider.generateDataKey(CONTEXT);
        assertThatThrownBy(() -> provider.unwrap(key.wrapped(), Map.of("repository", "3f9a1c", "slot", "kms-2")))
                .isInstanceOf(KeyProviderException.class)
                .hasMessageContaining("context");
        assertThatThrownBy(() -> provider.unwrap(key.wrapped(), Map.of("repository", "3f9a1c")))
                .isInstanceOf(KeyProviderException.class);
        assertThatThrownBy(() -> provider.unwrap(key.wrapped(), Map.of()))
                .isInstanceOf(KeyProviderException.class);
    }

    @Test
    void aTamperedBlobIsRefused() {
        WrappedKey w = provider.generateDataKey(CONTEXT).wrapped();
        byte[] blob = w.blob();
        for (int i : new int[] {0, blob.length / 2, blob.length - 1}) {
            byte[] flipped = blob.clone();
            flipped[i] ^= 0x01;
            assertThatThrownBy(() -> provider.unwrap(new WrappedKey(w.provider(), w.kekId(), flipped), CONTEXT))
                    .as("bit flipped at %d", i)
                    .isInstanceOf(KeyProviderException.class);
        }
        byte[] truncated = java.util.Arrays.copyOf(blob, blob.length - 1);
        assertThatThrownBy(() -> provider.unwrap(new WrappedKey(w.provider(), w.kekId(), truncated), CONTEXT))
                .isInstanceOf(KeyProviderException.class);
        assertThatThrownBy(() -> provider.unwrap(new WrappedKey(w.provider(), w.kekId(), new byte[0]), CONTEXT))
                .isInstanceOf(KeyProviderException.class);
    }

    @Test
    void aKeyRewrappedToAnotherKekUnwrapsThereOnly() {
        DataKey key = provider.generateDataKey(CONTEXT);
        WrappedKey moved = provider.rewrap(key.wrapped(), other.kekId(), CONTEXT);

        assertThat(moved.kekId()).isEqualTo(other.kekId());
        assertThat(moved.provider()).isEqualTo(key.wrapped().provider());
        assertThat(other.unwrap(moved, CONTEXT)).isEqualTo(key.plaintext());
        assertThatThrownBy(() -> provider.unwrap(moved, CONTEXT)).isInstanceOf(KeyProviderException.class);
        assertThatThrownBy(() -> other.unwrap(moved, Map.of("slot", "elsewhere"))).isInstanceOf(KeyProviderException.class);
    }

    @Test
    void aProviderForAnotherKekRefusesWithAClearError() {
        WrappedKey w = provider.generateDataKey(CONTEXT).wrapped();
        assertThatThrownBy(() -> other.unwrap(w, CONTEXT))
                .isInstanceOf(KeyProviderException.class)
                .hasMessageContaining(provider.kekId())
                .hasMessageContaining(other.kekId());
    }

    @Test
    void aRecordedKekIdThatDoesNotMatchTheBlobIsRefused() {
        // A slot whose KEK id was edited to name the other KEK: the blob is still A's.
        WrappedKey w = provider.generateDataKey(CONTEXT).wrapped();
        WrappedKey relabelled = new WrappedKey(w.provider(), other.kekId(), w.blob());
        assertThatThrownBy(() -> other.unwrap(relabelled, CONTEXT)).isInstanceOf(KeyProviderException.class);
    }

    @Test
    void aBlobOfAnotherProviderTypeIsRefused() {
        WrappedKey w = provider.generateDataKey(CONTEXT).wrapped();
        assertThatThrownBy(() -> provider.unwrap(new WrappedKey("some-other-provider", w.kekId(), w.blob()), CONTEXT))
                .isInstanceOf(KeyProviderException.class)
                .hasMessageContaining("some-other-provider");
    }

    @Test
    void describeNamesTheKekButNoSecret() {
        assertThat(provider.describe()).isNotBlank().doesNotContain("\n");
    }
}
