package io.lifeboat.common.repository;

import static io.lifeboat.common.format.Mutations.assertRejected;
import static io.lifeboat.common.format.Mutations.assertRejectsTruncationsAndBitFlips;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.crypto.HmacSha256;
import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.format.Json;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.format.SealedEnvelope;
import io.lifeboat.common.index.IndexFile;
import io.lifeboat.common.keys.KeySlot;
import io.lifeboat.common.keys.Keyring;
import io.lifeboat.common.keys.MasterKeys;
import io.lifeboat.common.keys.ScryptParams;
import io.lifeboat.common.pack.BlobCodec;
import io.lifeboat.common.pack.PackEntry;
import io.lifeboat.common.pack.PackReader;
import io.lifeboat.common.pack.PackWriter;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every parser of the format against truncation, bit flips, oversized lengths, wrong versions and magics. */
class MalformedInputTest {
    private static final byte[] MASTER = new byte[32];
    private final MasterKeys keys = MasterKeys.derive(MASTER);
    private final Keyring keyring = Keyring.of(List.of(Keyring.newEpoch(1)));
    private final BlobCodec codec = new BlobCodec(keyring, keys.blobIdMac(), Algorithms.ZSTD, 3);

    private PackWriter.FinishedPack smallPack() {
        PackWriter w = new PackWriter();
        for (int i = 0; i < 3; i++) {
            byte[] data = RepositoryFixtures.textBytes(300 + i * 50, i);
            if (i == 1) {
                data = RepositoryFixtures.randomBytes(120, i);
            }
            w.add(codec.encode(BlobType.DATA, codec.blobId(data, 0, data.length), data, 0, data.length));
        }
        return w.finish(keys.metadataKey());
    }

    private void parsePack(byte[] pack) {
        for (PackEntry e : PackReader.entries(pack, keys.metadataKey(), "pack")) {
            codec.decode(e, pack, e.offset(), e.length(), "pack");
        }
    }

    private byte[] seal(Magic magic, byte[] plaintext) {
        return SealedEnvelope.seal(magic, keys.metadataKey(), plaintext);
    }

    // ------------------------------------------------------------------ truncation and bit flips

    @Test
    void packsRejectEveryTruncationAndBitFlip() {
        assertRejectsTruncationsAndBitFlips(smallPack().bytes(), this::parsePack);
    }

    @Test
    void indexFilesRejectEveryTruncationAndBitFlip() {
        PackWriter.FinishedPack p = smallPack();
        byte[] index = IndexFile.seal(List.of(new IndexFile.PackRecord(p.id(), p.bytes().length, p.entries())), keys.metadataKey());
        assertRejectsTruncationsAndBitFlips(index, b -> IndexFile.open(b, keys.metadataKey(), "index"));
    }

    @Test
    void manifestsRejectEveryTruncationAndBitFlip() {
        byte[] root = new byte[32];
        SnapshotSpec spec = RepositoryFixtures.spec(BlobId.of(root), "/a", "/b");
        byte[] manifest = ManifestCodec.encode(spec, Instant.parse("2026-01-01T00:00:00Z"), keys.metadataKey(), keys.signer()).bytes();
        // The id check would catch every change first; name each mutant by its own hash to reach the envelope.
        assertRejectsTruncationsAndBitFlips(manifest,
            b -> ManifestCodec.decode(SnapshotId.of(Sha256.hash(b)), b, keys.metadataKey(), keys.signer()));
        byte[] ok = manifest.clone();
        assertThatThrownBy(() -> ManifestCodec.decode(SnapshotId.of(new byte[32]), ok, keys.metadataKey(), keys.signer()))
            .isInstanceOf(CorruptObjectException.class).hasMessageContaining("does not match its id");
    }

    @Test
    void journalEntriesRejectEveryTruncationAndBitFlip() {
        JournalEntry e = new JournalEntry("backup", "alice@host", Instant.parse("2026-01-01T00:00:00Z"), List.of("snapshots/x"), Map.of("a", "b"));
        byte[] bytes = JournalCodec.encode(e, keys.metadataKey(), keys.signer());
        assertRejectsTruncationsAndBitFlips(bytes, b -> JournalCodec.decode(b, keys.metadataKey(), keys.signer(), "journal"));
    }

    @Test
    void configRejectsEveryTruncationAndBitFlip() {
        RepositoryConfig c = new RepositoryConfig(1, "ab".repeat(32), Instant.parse("2026-01-01T00:00:00Z"),
            io.lifeboat.common.chunk.ChunkerParams.defaults(), "hmac-sha256", "zstd", 3, "hkdf-sha256", 16 << 20);
        assertRejectsTruncationsAndBitFlips(c.seal(keys.metadataKey()), b -> RepositoryConfig.open(b, keys.metadataKey()));
    }

    @Test
    void keyringsRejectEveryTruncationAndBitFlip() {
        byte[] sealed = Keyring.seal(Keyring.newEpoch(1), keys);
        assertRejectsTruncationsAndBitFlips(sealed, b -> Keyring.of(List.of(Keyring.open(b, keys, "keyring"))));
    }

    @Test
    void keySlotsRejectEveryTruncationAndBitFlipOrFailToUnwrap() {
        char[] pw = "pw".toCharArray();
        String slotId = "0123456789abcdef0123456789abcdef";
        byte[] slot = KeySlot.createPassphrase(slotId, MASTER, pw, ScryptParams.forTests());
        // A slot is parsed without keys, so some flips (a salt digit, r) parse; those must fail to unwrap.
        assertRejectsTruncationsAndBitFlips(slot, b -> {
            byte[] master = KeySlot.parse(slotId, b).unwrapPassphrase(pw);
            if (master == null) {
                throw new CorruptObjectException("does not unwrap");
            }
            assertThat(master).isEqualTo(MASTER);
        });
        assertThat(KeySlot.parse("ffffffffffffffffffffffffffffffff", slot).unwrapPassphrase(pw)).as("slot id is bound").isNull();
        assertThat(KeySlot.parse(slotId, slot).unwrapPassphrase("other".toCharArray())).isNull();
    }

    @Test
    void blobsRejectBitFlips() {
        byte[] data = RepositoryFixtures.textBytes(2000, 1);
        BlobId id = codec.blobId(data, 0, data.length);
        BlobCodec.EncodedBlob blob = codec.encode(BlobType.TREE, id, data, 0, data.length);
        PackEntry entry = new PackEntry(BlobType.TREE, id, 0, blob.stored().length, data.length, blob.compression(), blob.epoch());
        assertRejectsTruncationsAndBitFlips(blob.stored(), b -> codec.decode(
            new PackEntry(entry.type(), entry.id(), 0, b.length, entry.rawLength(), entry.compression(), entry.epoch()), b, 0, b.length, "pack"));
        PackEntry wrongType = new PackEntry(BlobType.DATA, id, 0, blob.stored().length, data.length, blob.compression(), blob.epoch());
        assertRejected(blob.stored(), b -> codec.decode(wrongType, b, 0, b.length, "pack"), "type is bound");
        PackEntry wrongRaw = new PackEntry(BlobType.TREE, id, 0, blob.stored().length, data.length + 1, blob.compression(), blob.epoch());
        assertRejected(blob.stored(), b -> codec.decode(wrongRaw, b, 0, b.length, "pack"), "raw length checked");
        PackEntry unknownEpoch = new PackEntry(BlobType.TREE, id, 0, blob.stored().length, data.length, blob.compression(), 7);
        assertRejected(blob.stored(), b -> codec.decode(unknownEpoch, b, 0, b.length, "pack"), "epoch checked");
    }

    @Test
    void verifyRejectsWhatDecodeRejectsForCompressedAndStoredBlobs() {
        for (byte[] data : List.of(RepositoryFixtures.textBytes(3000, 2), RepositoryFixtures.randomBytes(3000, 2))) {
            BlobId id = codec.blobId(data, 0, data.length);
            BlobCodec.EncodedBlob blob = codec.encode(BlobType.DATA, id, data, 0, data.length);
            PackEntry entry = new PackEntry(BlobType.DATA, id, 0, blob.stored().length, data.length, blob.compression(), blob.epoch());
            codec.verify(entry, blob.stored(), 0, blob.stored().length, "pack");
            // verify reuses its buffers: a later decode of the same blob is unaffected
            assertThat(codec.decode(entry, blob.stored(), 0, blob.stored().length, "pack")).isEqualTo(data);
            assertRejectsTruncationsAndBitFlips(blob.stored(), b -> codec.verify(
                new PackEntry(entry.type(), entry.id(), 0, b.length, entry.rawLength(), entry.compression(), entry.epoch()), b, 0, b.length, "pack"));
            PackEntry wrongRaw = new PackEntry(BlobType.DATA, id, 0, blob.stored().length, data.length - 1, blob.compression(), blob.epoch());
            assertRejected(blob.stored(), b -> codec.verify(wrongRaw, b, 0, b.length, "pack"), "raw length checked");
            PackEntry wrongType = new PackEntry(BlobType.TREE, id, 0, blob.stored().length, data.length, blob.compression(), blob.epoch());
            assertRejected(blob.stored(), b -> codec.verify(wrongType, b, 0, b.length, "pack"), "type is bound");
        }
    }

    // ------------------------------------------------------------------ oversized length fields

    @ParameterizedTest
    @ValueSource(longs = {0x7fffffffL, 0xffffffffL, 0x80000000L, 1000})
    void indexWithOversizedCountsIsRejectedWithoutAllocating(long count) {
        byte[] plain = new byte[4 + 44 + 50];
        ByteReader.putU32(plain, 0, count);
        assertRejected(seal(Magic.INDEX, plain), b -> IndexFile.open(b, keys.metadataKey(), "index"), "pack count " + count);
        byte[] plain2 = new byte[4 + 44 + 50];
        ByteReader.putU32(plain2, 0, 1);
        ByteReader.putU64(plain2, 36, 1000);
        ByteReader.putU32(plain2, 44, count);
        assertRejected(seal(Magic.INDEX, plain2), b -> IndexFile.open(b, keys.metadataKey(), "index"), "entry count " + count);
        byte[] plain3 = plain2.clone();
        ByteReader.putU64(plain3, 36, -1L);
        assertRejected(seal(Magic.INDEX, plain3), b -> IndexFile.open(b, keys.metadataKey(), "index"), "negative pack length");
    }

    @ParameterizedTest
    @ValueSource(longs = {0x7fffffffL, 0xffffffffL, 0, 2})
    void trailerWithOversizedOrWrongCountIsRejected(long count) {
        PackWriter.FinishedPack p = smallPack();
        byte[] entries = new byte[4 + 50];
        ByteReader.putU32(entries, 0, count);
        p.entries().get(0).writeTo(entries, 4);
        byte[] trailer = seal(Magic.PACK_TRAILER, entries);
        assertRejected(trailer, b -> PackReader.decodeTrailer(b, 0, b.length, p.entries().get(0).length(), keys.metadataKey(), "pack"),
            "trailer count " + count);
    }

    @Test
    void trailerEntryWithHugeRawLengthIsRejected() {
        PackWriter.FinishedPack p = smallPack();
        PackEntry e = p.entries().get(0);
        byte[] entries = new byte[4 + 50];
        ByteReader.putU32(entries, 0, 1);
        new PackEntry(e.type(), e.id(), 0, e.length(), Integer.MAX_VALUE, e.compression(), e.epoch()).writeTo(entries, 4);
        assertRejected(seal(Magic.PACK_TRAILER, entries),
            b -> PackReader.decodeTrailer(b, 0, b.length, e.length(), keys.metadataKey(), "pack"), "raw length 2^31-1");
    }

    @ParameterizedTest
    @ValueSource(longs = {0xffffffffL, 0x7fffffffL, 0, 33})
    void packTailWithOversizedTrailerLengthIsRejected(long t) {
        byte[] pack = smallPack().bytes();
        ByteReader.putU32(pack, pack.length - 8, t);
        assertRejected(pack, this::parsePack, "trailer length " + t);
    }

    @ParameterizedTest
    @ValueSource(longs = {0xffffffffL, 0x7fffffffL, 0x10001, 0})
    void keySlotWithOversizedHeaderLengthIsRejected(long h) {
        String slotId = "0123456789abcdef0123456789abcdef";
        byte[] slot = KeySlot.createPassphrase(slotId, MASTER, "pw".toCharArray(), ScryptParams.forTests());
        ByteReader.putU32(slot, 5, h);
        assertRejected(slot, b -> KeySlot.parse(slotId, b), "header length " + h);
    }

    @Test
    void keySlotWithExpensiveScryptParametersIsRejectedBeforeDerivation() {
        String slotId = "0123456789abcdef0123456789abcdef";
        for (String params : List.of("\"n\":1073741824,\"r\":8,\"p\":1", "\"n\":1048576,\"r\":32,\"p\":1", "\"n\":1000,\"r\":1,\"p\":1",
                "\"n\":16,\"r\":1,\"p\":99")) {
            byte[] json = ("{\"type\":\"passphrase\",\"cipher\":\"aes-256-gcm\",\"kdf\":\"scrypt\"," + params
                + ",\"salt\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}").getBytes();
            assertRejected(slotBytes(json), b -> KeySlot.parse(slotId, b), params);
        }
    }

    @Test
    void keySlotsOfUnknownTypesAreUnsupportedNotCorrupt() {
        String slotId = "0123456789abcdef0123456789abcdef";
        byte[] json = "{\"type\":\"tpm\",\"kekId\":\"x\"}".getBytes();
        assertThatThrownBy(() -> KeySlot.parse(slotId, slotBytes(json)))
            .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("unknown key slot type 'tpm'");
    }

    private static byte[] slotBytes(byte[] json) {
        byte[] out = new byte[9 + json.length + 12 + 48];
        Magic.KEY_SLOT.writeTo(out, 0);
        out[4] = 1;
        ByteReader.putU32(out, 5, json.length);
        System.arraycopy(json, 0, out, 9, json.length);
        return out;
    }

    // ------------------------------------------------------------------ versions, magics, signatures

    @Test
    void newerVersionsAreUnsupportedAndWrongMagicsCorrupt() {
        byte[] index = IndexFile.seal(List.of(), keys.metadataKey());
        byte[] newer = index.clone();
        newer[4] = 2;
        assertThatThrownBy(() -> IndexFile.open(newer, keys.metadataKey(), "index/x"))
            .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("newer");
        byte[] zero = index.clone();
        zero[4] = 0;
        assertThatThrownBy(() -> IndexFile.open(zero, keys.metadataKey(), "index/x")).isInstanceOf(CorruptObjectException.class);
        byte[] cipher = index.clone();
        cipher[5] = 9;
        assertThatThrownBy(() -> IndexFile.open(cipher, keys.metadataKey(), "index/x"))
            .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("cipher id 9");
        // A valid envelope of another kind is not accepted as an index.
        byte[] journal = seal(Magic.JOURNAL, new byte[10]);
        assertThatThrownBy(() -> IndexFile.open(journal, keys.metadataKey(), "index/x"))
            .isInstanceOf(CorruptObjectException.class).hasMessage("index/x is corrupt: wrong magic");
        byte[] pack = smallPack().bytes();
        pack[pack.length - 1] = 'X';
        assertThatThrownBy(() -> parsePack(pack)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("end magic");
    }

    @Test
    void aManifestSignedWithAnotherKeyFailsVerification() {
        HmacSha256 otherSigner = new HmacSha256(new byte[32]);
        byte[] body = Json.write(Map.of("version", 1));
        byte[] forged = SealedEnvelope.sealSigned(Magic.SNAPSHOT, keys.metadataKey(), otherSigner, body);
        assertThatThrownBy(() -> ManifestCodec.decode(SnapshotId.of(Sha256.hash(forged)), forged, keys.metadataKey(), keys.signer()))
            .isInstanceOf(CorruptObjectException.class).hasMessageContaining("signature");
    }

    @Test
    void garbageJsonInsideAValidEnvelopeIsCorrupt() {
        for (String json : List.of("", "null", "[]", "{\"version\":1}", "{\"epochs\":[{\"epoch\":0}]}", "\u0000\u0001")) {
            byte[] sealed = Keyring.seal(new Keyring.KeyringJson(List.of()), keys);
            byte[] g = SealedEnvelope.seal(Magic.KEYRING, keys.keyringKey(), json.getBytes());
            assertRejected(g, b -> Keyring.of(List.of(Keyring.open(b, keys, "keyring"))), json);
            assertRejected(sealed, b -> Keyring.of(List.of(Keyring.open(b, keys, "keyring"))), "no epochs");
            byte[] j = SealedEnvelope.sealSigned(Magic.JOURNAL, keys.metadataKey(), keys.signer(), json.getBytes());
            assertRejected(j, b -> JournalCodec.decode(b, keys.metadataKey(), keys.signer(), "journal"), json);
            byte[] m = SealedEnvelope.sealSigned(Magic.SNAPSHOT, keys.metadataKey(), keys.signer(), json.getBytes());
            assertRejected(m, b -> ManifestCodec.decode(SnapshotId.of(Sha256.hash(b)), b, keys.metadataKey(), keys.signer()), json);
        }
    }

    // ------------------------------------------------------------------ config algorithms

    @ParameterizedTest
    @ValueSource(strings = {"compression:lz4", "chunker:rabin", "blobIdMac:blake3", "kdf:argon2"})
    void unknownAlgorithmNamesInConfigAreAClearError(String change) {
        InMemoryObjectStore store = new InMemoryObjectStore();
        Repositories.init(store, RepositoryFixtures.PASSWORD, InitOptions.forTests()).close();
        MasterKeys repoKeys = MasterKeys.derive(Repositories.unlock(store, RepositoryFixtures.PASSWORD));
        RepositoryConfig c = RepositoryConfig.open(store.get(RepositoryLayout.CONFIG), repoKeys.metadataKey());
        String name = change.substring(change.indexOf(':') + 1);
        RepositoryConfig bad = switch (change.substring(0, change.indexOf(':'))) {
            case "compression" -> new RepositoryConfig(1, c.id(), c.created(), c.chunker(), c.blobIdMac(), name, 3, c.kdf(), c.packSizeTarget());
            case "chunker" -> new RepositoryConfig(1, c.id(), c.created(),
                new io.lifeboat.common.chunk.ChunkerParams(name, 1024, 2048, 4096, 0), c.blobIdMac(), c.compression(), 3, c.kdf(), c.packSizeTarget());
            case "blobIdMac" -> new RepositoryConfig(1, c.id(), c.created(), c.chunker(), name, c.compression(), 3, c.kdf(), c.packSizeTarget());
            default -> new RepositoryConfig(1, c.id(), c.created(), c.chunker(), c.blobIdMac(), c.compression(), 3, name, c.packSizeTarget());
        };
        store.put(RepositoryLayout.CONFIG, bad.seal(repoKeys.metadataKey()));
        assertThatThrownBy(() -> Repositories.open(store, RepositoryFixtures.PASSWORD))
            .isInstanceOf(UnsupportedFormatException.class)
            .hasMessageContaining("unknown")
            .hasMessageContaining("'" + name + "'");
    }

    @Test
    void aNewerConfigFormatVersionIsUnsupported() {
        RepositoryConfig c = new RepositoryConfig(2, "ab".repeat(32), Instant.now(), io.lifeboat.common.chunk.ChunkerParams.defaults(),
            "hmac-sha256", "zstd", 3, "hkdf-sha256", 16 << 20);
        assertThatThrownBy(() -> RepositoryConfig.open(c.seal(keys.metadataKey()), keys.metadataKey()))
            .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("upgrade Lifeboat");
    }

    @Test
    void aDamagedConfigOrKeyringStopsOpenWithTheObjectNamed() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        Repositories.init(store, RepositoryFixtures.PASSWORD, InitOptions.forTests()).close();
        byte[] config = store.get(RepositoryLayout.CONFIG);
        byte[] broken = Arrays.copyOf(config, config.length - 1);
        store.corrupt(RepositoryLayout.CONFIG, broken);
        assertThatThrownBy(() -> Repositories.open(store, RepositoryFixtures.PASSWORD))
            .isInstanceOf(CorruptObjectException.class).hasMessageStartingWith("config is corrupt");
    }
}
