package io.lifeboat.devkms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AesGcmCiphertextBlobTest {
  private static final String KEY_ID = UUID.randomUUID().toString();
  private static final byte[] MATERIAL = new byte[32];
  private static final byte[] PLAINTEXT = "data key".getBytes(StandardCharsets.UTF_8);
  private static final Map<String, String> CONTEXT = Map.of("repo", "r1");

  static {
    Arrays.fill(MATERIAL, (byte) 7);
  }

  @Test
  void sealThenOpenRoundTripsAndNamesTheKey() {
    byte[] blob = AesGcmCiphertextBlob.seal(KEY_ID, MATERIAL, PLAINTEXT, CONTEXT);

    AesGcmCiphertextBlob parsed = AesGcmCiphertextBlob.parse(blob);

    assertThat(parsed.keyId()).isEqualTo(KEY_ID);
    assertThat(parsed.open(MATERIAL, CONTEXT)).isEqualTo(PLAINTEXT);
    assertThat(blob).hasSize(2 + 36 + 12 + PLAINTEXT.length + 16);
    assertThat(blob[0]).isEqualTo((byte) 1);
  }

  @Test
  void sealingTwiceUsesFreshIvs() {
    assertThat(AesGcmCiphertextBlob.seal(KEY_ID, MATERIAL, PLAINTEXT, CONTEXT))
        .isNotEqualTo(AesGcmCiphertextBlob.seal(KEY_ID, MATERIAL, PLAINTEXT, CONTEXT));
  }

  @Test
  void everyFlippedBitIsRejected() {
    byte[] blob = AesGcmCiphertextBlob.seal(KEY_ID, MATERIAL, PLAINTEXT, CONTEXT);
    for (int i = 0; i < blob.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] tampered = blob.clone();
        tampered[i] ^= (byte) (1 << bit);
        assertInvalid(() -> AesGcmCiphertextBlob.parse(tampered).open(MATERIAL, CONTEXT));
      }
    }
  }

  @Test
  void everyTruncationIsRejected() {
    byte[] blob = AesGcmCiphertextBlob.seal(KEY_ID, MATERIAL, PLAINTEXT, CONTEXT);
    for (int length = 0; length < blob.length; length++) {
      byte[] truncated = Arrays.copyOf(blob, length);
      assertInvalid(() -> AesGcmCiphertextBlob.parse(truncated).open(MATERIAL, CONTEXT));
    }
    assertInvalid(() -> AesGcmCiphertextBlob.parse(null));
  }

  @Test
  void wrongVersionAndImpossibleKeyIdLengthsAreRejected() {
    byte[] blob = AesGcmCiphertextBlob.seal(KEY_ID, MATERIAL, PLAINTEXT, CONTEXT);
    for (int version : new int[] {0, 2, 0xff}) {
      byte[] other = blob.clone();
      other[0] = (byte) version;
      assertInvalid(() -> AesGcmCiphertextBlob.parse(other));
    }
    for (int length : new int[] {0, 35, 37, 0xff}) {
      byte[] other = blob.clone();
      other[1] = (byte) length;
      assertInvalid(() -> AesGcmCiphertextBlob.parse(other).open(MATERIAL, CONTEXT));
    }
  }

  @Test
  void aKeyIdThatIsNotAUuidIsRejected() {
    byte[] blob = AesGcmCiphertextBlob.seal("not-a-uuid-but-36-characters-long-xx", MATERIAL,
        PLAINTEXT, CONTEXT);
    assertInvalid(() -> AesGcmCiphertextBlob.parse(blob));
  }

  @Test
  void theContextMustMatchButNotItsOrder() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    byte[] blob = AesGcmCiphertextBlob.seal(KEY_ID, MATERIAL, PLAINTEXT, ab);
    AesGcmCiphertextBlob parsed = AesGcmCiphertextBlob.parse(blob);

    assertThat(parsed.open(MATERIAL, ba)).isEqualTo(PLAINTEXT);
    assertInvalid(() -> parsed.open(MATERIAL, Map.of("a", "1")));
    assertInvalid(() -> parsed.open(MATERIAL, Map.of("a", "1", "b", "3")));
    assertInvalid(() -> parsed.open(MATERIAL, Map.of()));
    assertThat(new String(AesGcmCiphertextBlob.canonicalContext(ba), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
  }

  @Test
  void anotherKeysMaterialCannotOpen() {
    byte[] other = MATERIAL.clone();
    other[0] ^= 1;
    AesGcmCiphertextBlob parsed = AesGcmCiphertextBlob.parse(
        AesGcmCiphertextBlob.seal(KEY_ID, MATERIAL, PLAINTEXT, CONTEXT));
    assertInvalid(() -> parsed.open(other, CONTEXT));
  }

  private static void assertInvalid(Runnable action) {
    assertThatThrownBy(action::run).isInstanceOfSatisfying(KmsServiceException.class,
        e -> assertThat(e.type()).isEqualTo("InvalidCiphertextException"));
  }
}
