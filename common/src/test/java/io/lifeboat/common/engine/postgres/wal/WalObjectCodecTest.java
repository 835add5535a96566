package io.lifeboat.common.engine.postgres.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.keys.Keyring;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.UnsupportedFormatException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WalObjectCodecTest {
    private static final String KEY = "wal/pg1/00000001/000000010000000000000001";
    private final Keyring keyring = Keyring.of(List.of(Keyring.newEpoch(1)));
    private final WalObjectCodec codec = new WalObjectCodec(keyring);

    private static byte[] compressible(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        Arrays.fill(b, n / 4, n, (byte) 0);
        return b;
    }

    @Test
    void roundTripsCompressibleIncompressibleAndEmptyContent() {
        byte[] random = new byte[5000];
        new Random(1).nextBytes(random);
        for (byte[] plain : List.of(compressible(100_000), random, new byte[0], new byte[3])) {
            byte[] enc = codec.encode(KEY, WalObjectCodec.Kind.SEGMENT, plain, plain.length);
            WalObjectCodec.Decoded d = codec.decode(KEY, enc);
            assertThat(d.plaintext()).isEqualTo(plain);
            assertThat(d.kind()).isEqualTo(WalObjectCodec.Kind.SEGMENT);
            assertThat(d.validBytes()).isEqualTo(plain.length);
        }
        byte[] enc = codec.encode(KEY, WalObjectCodec.Kind.PARTIAL, compressible(100_000), 25_000);
        assertThat(enc.length).isLessThan(40_000);
        assertThat(enc[6]).isEqualTo((byte) 1);
        assertThat(codec.decode(KEY, enc).validBytes()).isEqualTo(25_000);
    }

    @Test
    void theHeaderIsLaidOutAsSpecified() {
        byte[] plain = compressible(1000);
        byte[] enc = codec.encode(KEY, WalObjectCodec.Kind.HISTORY, plain, 1000);
        assertThat(new String(enc, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("LBWL");
        assertThat(enc[4]).isEqualTo((byte) 1);
        assertThat(enc[5]).isEqualTo((byte) 1);
        assertThat(enc[7]).isEqualTo((byte) 3);
        assertThat(ByteReader.u32At(enc, 8)).isEqualTo(1);
        assertThat(ByteReader.u32At(enc, 12)).isZero();
        assertThat(ByteReader.u32At(enc, 16)).isEqualTo(1000);
        assertThat(ByteReader.u32At(enc, 24)).isEqualTo(1000);
    }

    @Test
    void everyFlippedBitIsRejected() {
        byte[] enc = codec.encode(KEY, WalObjectCodec.Kind.SEGMENT, compressible(2000), 2000);
        Random rnd = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] bad = enc.clone();
            int pos = i < enc.length && i < 60 ? i : rnd.nextInt(enc.length);
            bad[pos] ^= (byte) (1 << rnd.nextInt(8));
            assertThatThrownBy(() -> codec.decode(KEY, bad)).isInstanceOf(RepositoryException.class);
        }
    }

    @Test
    void truncatedObjectsAreCorrupt() {
        byte[] enc = codec.encode(KEY, WalObjectCodec.Kind.SEGMENT, compressible(2000), 2000);
        for (int len : new int[] {0, 3, 4, 39, 40, 87, enc.length - 1}) {
            assertThatThrownBy(() -> codec.decode(KEY, Arrays.copyOf(enc, len))).isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(KEY);
        }
        assertThatThrownBy(() -> codec.decode(KEY, null)).isInstanceOf(CorruptObjectException.class);
    }

    @Test
    void aNewerVersionUnknownAlgorithmsOrKindAreUnsupported() {
        byte[] enc = codec.encode(KEY, WalObjectCodec.Kind.SEGMENT, compressible(2000), 2000);
        byte[] v2 = enc.clone();
        v2[4] = 2;
        assertThatThrownBy(() -> codec.decode(KEY, v2)).isInstanceOf(UnsupportedFormatException.class);
        byte[] v0 = enc.clone();
        v0[4] = 0;
        assertThatThrownBy(() -> codec.decode(KEY, v0)).isInstanceOf(CorruptObjectException.class);
        byte[] cipher = enc.clone();
        cipher[5] = 9;
        assertThatThrownBy(() -> codec.decode(KEY, cipher)).isInstanceOf(UnsupportedFormatException.class);
        byte[] comp = enc.clone();
        comp[6] = 9;
        assertThatThrownBy(() -> codec.decode(KEY, comp)).isInstanceOf(UnsupportedFormatException.class);
        byte[] kind = enc.clone();
        kind[7] = 99;
        assertThatThrownBy(() -> codec.decode(KEY, kind)).isInstanceOf(UnsupportedFormatException.class);
    }

    @Test
    void oversizedLengthsAndUnknownEpochsAreCorrupt() {
        byte[] enc = codec.encode(KEY, WalObjectCodec.Kind.SEGMENT, compressible(2000), 2000);
        byte[] huge = enc.clone();
        ByteReader.putU64(huge, 12, 1L << 40);
        assertThatThrownBy(() -> codec.decode(KEY, huge)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("length");
        byte[] neg = enc.clone();
        ByteReader.putU64(neg, 12, -1);
        assertThatThrownBy(() -> codec.decode(KEY, neg)).isInstanceOf(CorruptObjectException.class);
        byte[] valid = enc.clone();
        ByteReader.putU64(valid, 20, 2001);
        assertThatThrownBy(() -> codec.decode(KEY, valid)).isInstanceOf(CorruptObjectException.class);
        byte[] epoch = enc.clone();
        ByteReader.putU32(epoch, 8, 7);
        assertThatThrownBy(() -> codec.decode(KEY, epoch)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("epoch");
    }

    @Test
    void randomBodiesBehindAValidHeaderAreCorrupt() {
        Random rnd = new Random(3);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[88 + rnd.nextInt(500)];
            rnd.nextBytes(junk);
            System.arraycopy("LBWL".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, junk, 0, 4);
            junk[4] = 1;
            junk[5] = 1;
            junk[6] = 1;
            junk[7] = 1;
            ByteReader.putU32(junk, 8, 1);
            ByteReader.putU64(junk, 12, 100);
            ByteReader.putU64(junk, 20, 100);
            assertThatThrownBy(() -> codec.decode(KEY, junk)).isInstanceOf(CorruptObjectException.class);
        }
    }

    @Test
    void objectsFromAnOlderEpochStillDecodeAfterANewEpoch() {
        Keyring.KeyringJson one = Keyring.newEpoch(1);
        Keyring.KeyringJson two = Keyring.newEpoch(2);
        WalObjectCodec old = new WalObjectCodec(Keyring.of(List.of(one)));
        WalObjectCodec both = new WalObjectCodec(Keyring.of(List.of(one, two)));
        byte[] plain = compressible(500);
        byte[] enc = old.encode(KEY, WalObjectCodec.Kind.SEGMENT, plain, 500);
        assertThat(both.decode(KEY, enc).plaintext()).isEqualTo(plain);
        byte[] fresh = both.encode(KEY, WalObjectCodec.Kind.SEGMENT, plain, 500);
        assertThat(ByteReader.u32At(fresh, 8)).isEqualTo(2);
        assertThatThrownBy(() -> old.decode(KEY, fresh)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("epoch");
    }
}
