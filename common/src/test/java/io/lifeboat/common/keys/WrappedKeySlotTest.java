package io.lifeboat.common.keys;

import static io.lifeboat.common.format.Mutations.assertRejected;
import static io.lifeboat.common.format.Mutations.assertRejectsTruncationsAndBitFlips;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.keys.local.LocalKeyProvider;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.UnsupportedFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code kms} and {@code keyfile} key slots: round trips, bindings and malformed input. */
class WrappedKeySlotTest {
    private static final String SLOT = "00112233445566778899aabbccddeeff";
    private static final String OTHER_SLOT = "ffeeddccbbaa99887766554433221100";
    private static final byte[] MASTER = AesGcm.randomBytes(32);

    @TempDir
    Path tmp;
    private final FakeKms kms = new FakeKms();

    @Test
    void aKmsSlotRecordsTheArnAndUnwrapsOnlyThroughThatKey() {
        String arn = kms.createKey();
        String other = kms.createKey();
        byte[] slot = KeySlot.createWrapped(SLOT, MASTER, kms.provider(arn));
        KeySlot parsed = KeySlot.parse(SLOT, slot);
        assertThat(parsed.header().type()).isEqualTo("kms");
        assertThat(parsed.header().provider()).isEqualTo("aws-kms");
        assertThat(parsed.header().kekId()).isEqualTo(arn);
        assertThat(parsed.header().kdf()).isNull();
        assertThat(parsed.unwrapWith(kms.provider(arn))).isEqualTo(MASTER);
        assertThatThrownBy(() -> parsed.unwrapWith(kms.provider(other))).isInstanceOf(KeyProviderException.class)
            .hasMessageContaining(other);
        kms.disable(arn);
        assertThatThrownBy(() -> parsed.unwrapWith(kms.provider(arn))).isInstanceOf(KeyProviderException.class)
            .hasMessage("KMS key " + arn + " is disabled");
        String text = new String(slot, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("LBKS").contains("{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"provider\":\"aws-kms\",\"kekId\":\""
            + arn + "\",\"wrappedKey\":\"");
        assertThat(slot).hasSize(69 + (int) ByteReader.u32At(slot, 5));
    }

    @Test
    void aKeyfileSlotUnwrapsWithItsKeyFileOnly() {
        Path a = tmp.resolve("a.key");
        Path b = tmp.resolve("b.key");
        String kekA = LocalKeyProvider.generate(a);
        LocalKeyProvider.generate(b);
        byte[] slot = KeySlot.createWrapped(SLOT, MASTER, LocalKeyProvider.open(a));
        KeySlot parsed = KeySlot.parse(SLOT, slot);
        assertThat(parsed.header().type()).isEqualTo("keyfile");
        assertThat(parsed.header().provider()).isEqualTo("local");
        assertThat(parsed.header().kekId()).isEqualTo(kekA);
        assertThat(Base64.getDecoder().decode(parsed.header().wrappedKey())).hasSize(61);
        assertThat(parsed.unwrapWith(LocalKeyProvider.open(a))).isEqualTo(MASTER);
        assertThatThrownBy(() -> parsed.unwrapWith(LocalKeyProvider.open(b))).isInstanceOf(KeyProviderException.class);
    }

    @Test
    void aSlotCopiedUnderAnotherIdDoesNotOpen() {
        String arn = kms.createKey();
        byte[] slot = KeySlot.createWrapped(SLOT, MASTER, kms.provider(arn));
        KeySlot moved = KeySlot.parse(OTHER_SLOT, slot);
        assertThatThrownBy(() -> moved.unwrapWith(kms.provider(arn))).isInstanceOf(KeyProviderException.class)
            .hasMessageContaining("wrong encryption context");
    }

    @Test
    void kmsSlotsRejectEveryTruncationAndBitFlipOrFailToUnwrap() {
        String arn = kms.createKey();
        byte[] slot = KeySlot.createWrapped(SLOT, MASTER, kms.provider(arn));
        assertRejectsTruncationsAndBitFlips(slot, b -> unwrapOrCorrupt(b, kms.provider(arn)));
    }

    @Test
    void keyfileSlotsRejectEveryTruncationAndBitFlipOrFailToUnwrap() {
        Path a = tmp.resolve("a.key");
        LocalKeyProvider.generate(a);
        LocalKeyProvider p = LocalKeyProvider.open(a);
        byte[] slot = KeySlot.createWrapped(SLOT, MASTER, p);
        assertRejectsTruncationsAndBitFlips(slot, b -> unwrapOrCorrupt(b, p));
    }

    private static void unwrapOrCorrupt(byte[] b, KeyProvider p) {
        byte[] master;
        try {
            master = KeySlot.parse(SLOT, b).unwrapWith(p);
        } catch (KeyProviderException e) {
            throw new CorruptObjectException("does not unwrap: " + e.getMessage());
        }
        assertThat(master).isEqualTo(MASTER);
    }

    @Test
    void seededRandomHeaderMutationsNeverUnwrap() {
        String arn = kms.createKey();
        byte[] slot = KeySlot.createWrapped(SLOT, MASTER, kms.provider(arn));
        int h = (int) ByteReader.u32At(slot, 5);
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] b = slot.clone();
            int at = 9 + random.nextInt(h);
            b[at] = (byte) (32 + random.nextInt(95));
            if (b[at] == slot[at]) {
                continue;
            }
            assertRejected(b, x -> unwrapOrCorrupt(x, kms.provider(arn)), "byte " + at + " replaced");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0xffffffffL, 0x7fffffffL, 0x10001, 0})
    void oversizedHeaderLengthsAreRejected(long h) {
        byte[] slot = KeySlot.createWrapped(SLOT, MASTER, kms.provider(kms.createKey()));
        ByteReader.putU32(slot, 5, h);
        assertRejected(slot, b -> KeySlot.parse(SLOT, b), "header length " + h);
    }

    @Test
    void malformedHeadersAreCorruptAndUnknownNamesUnsupported() {
        String arn = "arn:aws:kms:us-east-1:000000000000:key/k1";
        String kms60 = Base64.getEncoder().encodeToString(new byte[60]);
        String local61 = Base64.getEncoder().encodeToString(new byte[61]);
        String localKek = "local:00112233445566778899aabbccddeeff";
        List<String> corrupt = List.of(
            "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"provider\":\"aws-kms\",\"wrappedKey\":\"" + kms60 + "\"}",
            "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"provider\":\"aws-kms\",\"kekId\":\"" + arn + "\"}",
            "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"kekId\":\"" + arn + "\",\"wrappedKey\":\"" + kms60 + "\"}",
            "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"provider\":\"local\",\"kekId\":\"" + arn + "\",\"wrappedKey\":\"" + kms60 + "\"}",
            "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"provider\":\"aws-kms\",\"kekId\":\"alias/x\",\"wrappedKey\":\"" + kms60 + "\"}",
            "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"provider\":\"aws-kms\",\"kekId\":\"" + arn + "\",\"wrappedKey\":\"!!\"}",
            "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"provider\":\"aws-kms\",\"kekId\":\"" + arn + "\",\"wrappedKey\":\"\"}",
            "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"provider\":\"aws-kms\",\"kekId\":\"" + arn + "\",\"wrappedKey\":\""
                + Base64.getEncoder().encodeToString(new byte[6145]) + "\"}",
            "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"kdf\":\"scrypt\",\"provider\":\"aws-kms\",\"kekId\":\"" + arn
                + "\",\"wrappedKey\":\"" + kms60 + "\"}",
            "{\"type\":\"keyfile\",\"cipher\":\"aes-256-gcm\",\"provider\":\"local\",\"kekId\":\"" + localKek + "\",\"wrappedKey\":\"" + kms60 + "\"}",
            "{\"type\":\"keyfile\",\"cipher\":\"aes-256-gcm\",\"provider\":\"local\",\"kekId\":\"" + arn + "\",\"wrappedKey\":\"" + local61 + "\"}",
            "{\"type\":\"keyfile\",\"cipher\":\"aes-256-gcm\",\"provider\":\"aws-kms\",\"kekId\":\"" + localKek + "\",\"wrappedKey\":\"" + local61 + "\"}",
            "{\"type\":\"passphrase\",\"cipher\":\"aes-256-gcm\",\"kdf\":\"scrypt\",\"n\":16,\"r\":1,\"p\":1,"
                + "\"salt\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"kekId\":\"" + arn + "\"}",
            "{\"cipher\":\"aes-256-gcm\",\"provider\":\"aws-kms\",\"kekId\":\"" + arn + "\",\"wrappedKey\":\"" + kms60 + "\"}",
            "[1,2,3]");
        for (String json : corrupt) {
            assertThatThrownBy(() -> KeySlot.parse(SLOT, slotBytes(json))).as(json).isInstanceOf(CorruptObjectException.class);
        }
        // Names this build does not know are refused as unsupported, never guessed at.
        for (String json : List.of(
                "{\"type\":\"hsm\",\"cipher\":\"aes-256-gcm\"}",
                "{\"type\":\"kms\",\"cipher\":\"chacha20\",\"provider\":\"aws-kms\",\"kekId\":\"" + arn + "\",\"wrappedKey\":\"" + kms60 + "\"}",
                "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"provider\":\"gcp-kms\",\"kekId\":\"" + arn + "\",\"wrappedKey\":\"" + kms60 + "\"}")) {
            assertThatThrownBy(() -> KeySlot.parse(SLOT, slotBytes(json))).as(json).isInstanceOf(UnsupportedFormatException.class);
        }
        String valid = "{\"type\":\"kms\",\"cipher\":\"aes-256-gcm\",\"provider\":\"aws-kms\",\"kekId\":\"" + arn
            + "\",\"wrappedKey\":\"" + kms60 + "\",\"created\":\"2026-01-01T00:00:00Z\"}";
        assertThat(KeySlot.parse(SLOT, slotBytes(valid)).wrappedKey().kekId()).isEqualTo(arn);
        String local = "{\"type\":\"keyfile\",\"cipher\":\"aes-256-gcm\",\"provider\":\"local\",\"kekId\":\"" + localKek
            + "\",\"wrappedKey\":\"" + local61 + "\"}";
        assertThat(KeySlot.parse(SLOT, slotBytes(local)).wrappedKey().blob()).hasSize(61);
    }

    @Test
    void aProviderAnsweringWithSomethingASlotCannotRecordIsRefusedAtCreation() {
        KeyProvider aliasAnswer = new KeyProvider() {
            @Override
            public DataKey generateDataKey(java.util.Map<String, String> context) {
                return new DataKey(AesGcm.randomBytes(32), new WrappedKey("aws-kms", "alias/not-an-arn", new byte[60]));
            }

            @Override
            public byte[] unwrap(WrappedKey wrapped, java.util.Map<String, String> context) {
                throw new UnsupportedOperationException();
            }

            @Override
            public WrappedKey rewrap(WrappedKey wrapped, String newKekId, java.util.Map<String, String> context) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String kekId() {
                return "alias/not-an-arn";
            }

            @Override
            public String describe() {
                return "odd KMS";
            }
        };
        assertThatThrownBy(() -> KeySlot.createWrapped(SLOT, MASTER, aliasAnswer)).isInstanceOf(KeyProviderException.class)
            .hasMessageStartingWith("odd KMS answered with key id 'alias/not-an-arn'");
    }

    @Test
    void aTamperedMasterKeyIsCorruptNotAProviderError() {
        String arn = kms.createKey();
        byte[] slot = KeySlot.createWrapped(SLOT, MASTER, kms.provider(arn));
        slot[slot.length - 1] ^= 1;
        assertThatThrownBy(() -> KeySlot.parse(SLOT, slot).unwrapWith(kms.provider(arn)))
            .isInstanceOf(CorruptObjectException.class).hasMessageContaining("does not authenticate");
    }

    private static byte[] slotBytes(String json) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[9 + j.length + 12 + 48];
        Magic.KEY_SLOT.writeTo(out, 0);
        out[4] = 1;
        ByteReader.putU32(out, 5, j.length);
        System.arraycopy(j, 0, out, 9, j.length);
        return out;
    }
}
