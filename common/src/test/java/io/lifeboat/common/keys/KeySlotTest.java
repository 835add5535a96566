package io.lifeboat.common.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.crypto.AesGcm;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeySlotTest {
    private static final String SLOT = "00112233445566778899aabbccddeeff";

    @Test
    void aKeyDerivedAheadOpensTheSlotForItsPassphraseOnly() {
        io.lifeboat.common.crypto.ScryptAhead.reset();
        try {
            byte[] master = AesGcm.randomBytes(32);
            KeySlot slot = KeySlot.parse(SLOT, KeySlot.createPassphrase(SLOT, master, "sécret".toCharArray(),
                ScryptParams.forTests()));
            io.lifeboat.common.crypto.ScryptAhead.reset(); // creating the slot derived a key: nothing goes ahead after that
            slot.deriveAhead("sécret".toCharArray());
            assertThat(io.lifeboat.common.crypto.ScryptAhead.pending()).isEqualTo(1);
            assertThat(slot.unwrapPassphrase("secret".toCharArray())).isNull();
            assertThat(io.lifeboat.common.crypto.ScryptAhead.pending()).isEqualTo(1);
            assertThat(slot.unwrapPassphrase("sécret".toCharArray())).isEqualTo(master);
            assertThat(io.lifeboat.common.crypto.ScryptAhead.pending()).isZero();
        } finally {
            io.lifeboat.common.crypto.ScryptAhead.reset();
        }
    }

    @Test
    void aPassphraseSlotUnwrapsWithItsPassphraseOnly() {
        byte[] master = AesGcm.randomBytes(32);
        byte[] slot = KeySlot.createPassphrase(SLOT, master, "sécret ünïcode".toCharArray(), ScryptParams.forTests());
        KeySlot parsed = KeySlot.parse(SLOT, slot);
        assertThat(parsed.header().type()).isEqualTo("passphrase");
        assertThat(parsed.header().kdf()).isEqualTo("scrypt");
        assertThat(parsed.unwrapPassphrase("sécret ünïcode".toCharArray())).isEqualTo(master);
        assertThat(parsed.unwrapPassphrase("secret unicode".toCharArray())).isNull();
        assertThat(parsed.toString()).doesNotContain(new String(master, StandardCharsets.ISO_8859_1));
    }

    @Test
    void theHeaderIsReadableJsonAndTheMasterKeyIsNotInTheClear() {
        byte[] master = new byte[32];
        java.util.Arrays.fill(master, (byte) 0x5a);
        byte[] slot = KeySlot.createPassphrase(SLOT, master, "pw".toCharArray(), ScryptParams.forTests());
        String text = new String(slot, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("LBKS").contains("\"type\":\"passphrase\"").contains("\"n\":16");
        assertThat(text).doesNotContain(new String(master, StandardCharsets.ISO_8859_1));
    }

    @Test
    void subkeysDifferFromEachOther() {
        MasterKeys k = MasterKeys.derive(new byte[32]);
        assertThat(k.metadataKey().getEncoded()).isNotEqualTo(k.keyringKey().getEncoded());
        assertThat(k.toString()).isEqualTo("MasterKeys[redacted]");
    }
}
