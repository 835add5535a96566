package io.lifeboat.devkms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The development KMS ciphertext blob: AES-256-GCM, self-describing so that Decrypt needs no KeyId.
 *
 * <pre>
 * offset  size  field
 * 0       1     version, 0x01
 * 1       1     n, length of the key id (1..255)
 * 2       n     key id, UTF-8 (the KMS key's UUID, not its ARN)
 * 2+n     12    IV, random per encryption
 * 14+n    rest  AES-GCM ciphertext followed by its 16-byte tag
 * </pre>
 *
 * The additional authenticated data is the header (bytes {@code 0..2+n}) followed by the encryption
 * context in canonical form: the JSON object with keys sorted, UTF-8. Any change to header, body or
 * context therefore fails the tag check. Every parse or authentication failure yields the same
 * {@link KmsServiceException#invalidCiphertext()}.
 *
 * <p>The format is this server's own and not AWS's; callers must treat blobs as opaque, as with AWS.
 */
record AesGcmCiphertextBlob(String keyId, byte[] header, byte[] iv, byte[] sealed) {
  static final int VERSION = 1;
  static final int IV_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final int MIN_LENGTH = 2 + 1 + IV_BYTES + TAG_BITS / 8;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Encrypts {@code plaintext} under {@code material} (32 bytes) for the KMS key {@code keyId}. */
  static byte[] seal(String keyId, byte[] material, byte[] plaintext, Map<String, String> context) {
    byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
    if (id.length == 0 || id.length > 255) {
      throw new IllegalArgumentException("key id length " + id.length);
    }
    byte[] header = new byte[2 + id.length];
    header[0] = VERSION;
    header[1] = (byte) id.length;
    System.arraycopy(id, 0, header, 2, id.length);
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    byte[] sealed;
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, material, iv, header, context);
      sealed = cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return ByteBuffer.allocate(header.length + IV_BYTES + sealed.length)
        .put(header).put(iv).put(sealed).array();
  }

  /** Splits a blob into its parts without decrypting; a malformed blob is an invalid ciphertext. */
  static AesGcmCiphertextBlob parse(byte[] blob) {
    if (blob == null || blob.length < MIN_LENGTH || blob[0] != VERSION) {
      throw KmsServiceException.invalidCiphertext();
    }
    int n = blob[1] & 0xff;
    if (n == 0 || blob.length < 2 + n + IV_BYTES + TAG_BITS / 8) {
      throw KmsServiceException.invalidCiphertext();
    }
    String keyId = new String(blob, 2, n, StandardCharsets.UTF_8);
    try {
      if (!UUID.fromString(keyId).toString().equals(keyId)) {
        throw KmsServiceException.invalidCiphertext();
      }
    } catch (IllegalArgumentException e) {
      throw KmsServiceException.invalidCiphertext();
    }
    return new AesGcmCiphertextBlob(keyId,
        Arrays.copyOfRange(blob, 0, 2 + n),
        Arrays.copyOfRange(blob, 2 + n, 2 + n + IV_BYTES),
        Arrays.copyOfRange(blob, 2 + n + IV_BYTES, blob.length));
  }

  /** Decrypts and authenticates; a wrong key, context or any flipped bit is an invalid ciphertext. */
  byte[] open(byte[] material, Map<String, String> context) {
    try {
      return cipher(Cipher.DECRYPT_MODE, material, iv, header, context).doFinal(sealed);
    } catch (GeneralSecurityException e) {
      throw KmsServiceException.invalidCiphertext();
    }
  }

  /** The encryption context as the AAD sees it: a JSON object with sorted keys, UTF-8. */
  static byte[] canonicalContext(Map<String, String> context) {
    try {
      return JSON.writeValueAsBytes(new TreeMap<>(context));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a string map", e);
    }
  }

  private static Cipher cipher(int mode, byte[] material, byte[] iv, byte[] header,
      Map<String, String> context) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(material, "AES"), new GCMParameterSpec(TAG_BITS, iv));
    cipher.updateAAD(header);
    cipher.updateAAD(canonicalContext(context));
    return cipher;
  }
}
