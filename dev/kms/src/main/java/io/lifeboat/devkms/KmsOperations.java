package io.lifeboat.devkms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TrentService (AWS KMS) operations this server implements, request JSON in, response JSON out,
 * with AWS's field names and rules. Responses name keys by ARN, as AWS does, whatever the caller
 * used (id, ARN or alias). Thread-safe; state lives in the {@link DevKmsKeyStore}.
 */
final class KmsOperations {
  static final String ALGORITHM = "SYMMETRIC_DEFAULT";
  private static final int MAX_PLAINTEXT = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DevKmsKeyStore store;
  private final String account;

  KmsOperations(DevKmsKeyStore store, String account) {
    this.store = store;
    this.account = account;
  }

  /**
   * Runs operation {@code op} (the part after {@code TrentService.}).
   *
   * @throws KmsServiceException for every client error, typed as AWS types it
   */
  ObjectNode handle(String op, JsonNode req) {
    return switch (op) {
      case "CreateKey" -> createKey(req);
      case "DescribeKey" -> object().set("KeyMetadata", metadata(store.resolve(text(req, "KeyId"))));
      case "ListKeys" -> listKeys();
      case "CreateAlias" -> createAlias(req);
      case "ListAliases" -> listAliases(req);
      case "Encrypt" -> encrypt(req);
      case "Decrypt" -> decrypt(req);
      case "GenerateDataKey" -> generateDataKey(req, true);
      case "GenerateDataKeyWithoutPlaintext" -> generateDataKey(req, false);
      case "ReEncrypt" -> reEncrypt(req);
      case "EnableKey" -> setEnabled(req, true);
      case "DisableKey" -> setEnabled(req, false);
      case "ScheduleKeyDeletion" -> scheduleKeyDeletion(req);
      case "CancelKeyDeletion" -> cancelKeyDeletion(req);
      default -> throw KmsServiceException.unknownOperation(
          "Operation " + op + " is not supported by the Lifeboat development KMS server.");
    };
  }

  private ObjectNode createKey(JsonNode req) {
    String spec = optionalText(req, "KeySpec", optionalText(req, "CustomerMasterKeySpec", ALGORITHM));
    if (!ALGORITHM.equals(spec)) {
      throw KmsServiceException.validation("Only KeySpec SYMMETRIC_DEFAULT is supported, got "
          + spec + ".");
    }
    String usage = optionalText(req, "KeyUsage", "ENCRYPT_DECRYPT");
    if (!"ENCRYPT_DECRYPT".equals(usage)) {
      throw KmsServiceException.validation("Only KeyUsage ENCRYPT_DECRYPT is supported, got "
          + usage + ".");
    }
    KmsKey key = store.createKey(optionalText(req, "Description", ""));
    return object().set("KeyMetadata", metadata(key));
  }

  private ObjectNode listKeys() {
    ObjectNode res = object();
    ArrayNode list = res.putArray("Keys");
    store.keys().forEach(k -> list.addObject().put("KeyId", k.keyId()).put("KeyArn", k.arn()));
    return res.put("Truncated", false);
  }

  private ObjectNode createAlias(JsonNode req) {
    store.createAlias(text(req, "AliasName"), text(req, "TargetKeyId"));
    return object();
  }

  private ObjectNode listAliases(JsonNode req) {
    String filter = req.hasNonNull("KeyId") ? store.resolve(req.get("KeyId").asText()).keyId() : null;
    ObjectNode res = object();
    ArrayNode list = res.putArray("Aliases");
    for (DevKmsKeyStore.Alias a : store.aliases()) {
      if (filter == null || filter.equals(a.targetKeyId())) {
        list.addObject().put("AliasName", a.name()).put("AliasArn", a.arn())
            .put("TargetKeyId", a.targetKeyId())
            .<ObjectNode>set("CreationDate", timestamp(a.creationDate()))
            .set("LastUpdatedDate", timestamp(a.creationDate()));
      }
    }
    return res.put("Truncated", false);
  }

  private ObjectNode encrypt(JsonNode req) {
    KmsKey key = store.resolve(text(req, "KeyId")).requireUsable();
    requireAlgorithm(req, "EncryptionAlgorithm");
    byte[] plaintext = blob(req, "Plaintext");
    if (plaintext.length > MAX_PLAINTEXT) {
      throw KmsServiceException.validation("Plaintext must be at most 4096 bytes.");
    }
    byte[] blob = AesGcmCiphertextBlob.seal(key.keyId(), key.material(), plaintext,
        context(req, "EncryptionContext"));
    return object().put("CiphertextBlob", blob).put("KeyId", key.arn())
        .put("EncryptionAlgorithm", ALGORITHM);
  }

  private ObjectNode decrypt(JsonNode req) {
    requireAlgorithm(req, "EncryptionAlgorithm");
    AesGcmCiphertextBlob parsed = AesGcmCiphertextBlob.parse(blob(req, "CiphertextBlob"));
    KmsKey key = keyOf(parsed, req, "KeyId");
    byte[] plaintext = parsed.open(key.material(), context(req, "EncryptionContext"));
    return object().put("KeyId", key.arn()).put("Plaintext", plaintext)
        .put("EncryptionAlgorithm", ALGORITHM);
  }

  private ObjectNode generateDataKey(JsonNode req, boolean returnPlaintext) {
    KmsKey key = store.resolve(text(req, "KeyId")).requireUsable();
    byte[] dataKey = new byte[dataKeyLength(req)];
    RANDOM.nextBytes(dataKey);
    byte[] blob = AesGcmCiphertextBlob.seal(key.keyId(), key.material(), dataKey,
        context(req, "EncryptionContext"));
    ObjectNode res = object().put("CiphertextBlob", blob).put("KeyId", key.arn());
    return returnPlaintext ? res.put("Plaintext", dataKey) : res;
  }

  private ObjectNode reEncrypt(JsonNode req) {
    requireAlgorithm(req, "SourceEncryptionAlgorithm");
    requireAlgorithm(req, "DestinationEncryptionAlgorithm");
    AesGcmCiphertextBlob parsed = AesGcmCiphertextBlob.parse(blob(req, "CiphertextBlob"));
    KmsKey source = keyOf(parsed, req, "SourceKeyId");
    KmsKey destination = store.resolve(text(req, "DestinationKeyId")).requireUsable();
    byte[] plaintext = parsed.open(source.material(), context(req, "SourceEncryptionContext"));
    byte[] blob = AesGcmCiphertextBlob.seal(destination.keyId(), destination.material(), plaintext,
        context(req, "DestinationEncryptionContext"));
    return object().put("CiphertextBlob", blob).put("SourceKeyId", source.arn())
        .put("KeyId", destination.arn()).put("SourceEncryptionAlgorithm", ALGORITHM)
        .put("DestinationEncryptionAlgorithm", ALGORITHM);
  }

  private ObjectNode setEnabled(JsonNode req, boolean enabled) {
    KmsKey key = store.resolve(text(req, "KeyId"));
    if (key.state() == KmsKey.State.PENDING_DELETION) {
      throw KmsServiceException.invalidState(key.arn() + " is pending deletion.");
    }
    store.update(key.withState(enabled ? KmsKey.State.ENABLED : KmsKey.State.DISABLED, null));
    return object();
  }

  private ObjectNode scheduleKeyDeletion(JsonNode req) {
    KmsKey key = store.resolve(text(req, "KeyId"));
    int days = req.hasNonNull("PendingWindowInDays") ? req.get("PendingWindowInDays").asInt() : 30;
    if (days < 7 || days > 30) {
      throw KmsServiceException.validation("PendingWindowInDays must be between 7 and 30, got "
          + days + ".");
    }
    if (key.state() == KmsKey.State.PENDING_DELETION) {
      throw KmsServiceException.invalidState(key.arn() + " is pending deletion.");
    }
    Instant deletion = Instant.now().plus(Duration.ofDays(days));
    store.update(key.withState(KmsKey.State.PENDING_DELETION, deletion));
    return object().put("KeyId", key.arn())
        .<ObjectNode>set("DeletionDate", timestamp(deletion))
        .put("KeyState", KmsKey.State.PENDING_DELETION.wireName())
        .put("PendingWindowInDays", days);
  }

  private ObjectNode cancelKeyDeletion(JsonNode req) {
    KmsKey key = store.resolve(text(req, "KeyId"));
    if (key.state() != KmsKey.State.PENDING_DELETION) {
      throw KmsServiceException.invalidState(key.arn() + " is not pending deletion.");
    }
    // As in AWS, a key whose deletion is cancelled comes back disabled.
    store.update(key.withState(KmsKey.State.DISABLED, null));
    return object().put("KeyId", key.arn());
  }

  /** The usable key a blob names, checked against the optional key the caller named. */
  private KmsKey keyOf(AesGcmCiphertextBlob parsed, JsonNode req, String field) {
    KmsKey key = store.resolve(parsed.keyId());
    if (req.hasNonNull(field) && !store.resolve(req.get(field).asText()).keyId().equals(key.keyId())) {
      throw KmsServiceException.incorrectKey(
          "The key ID in the request does not identify the KMS key used to encrypt the ciphertext.");
    }
    return key.requireUsable();
  }

  private ObjectNode metadata(KmsKey key) {
    ObjectNode m = object().put("AWSAccountId", account).put("KeyId", key.keyId())
        .put("Arn", key.arn()).<ObjectNode>set("CreationDate", timestamp(key.creationDate()))
        .put("Enabled", key.state() == KmsKey.State.ENABLED).put("Description", key.description())
        .put("KeyUsage", "ENCRYPT_DECRYPT").put("KeyState", key.state().wireName())
        .put("Origin", "AWS_KMS").put("KeyManager", "CUSTOMER")
        .put("CustomerMasterKeySpec", ALGORITHM).put("KeySpec", ALGORITHM)
        .put("MultiRegion", false);
    m.putArray("EncryptionAlgorithms").add(ALGORITHM);
    if (key.deletionDate() != null) {
      m.set("DeletionDate", timestamp(key.deletionDate()));
    }
    return m;
  }

  private static int dataKeyLength(JsonNode req) {
    boolean hasSpec = req.hasNonNull("KeySpec");
    boolean hasBytes = req.hasNonNull("NumberOfBytes");
    if (hasSpec == hasBytes) {
      throw KmsServiceException.validation("Specify exactly one of KeySpec and NumberOfBytes.");
    }
    if (hasSpec) {
      return switch (req.get("KeySpec").asText()) {
        case "AES_256" -> 32;
        case "AES_128" -> 16;
        default -> throw KmsServiceException.validation("KeySpec must be AES_256 or AES_128, got "
            + req.get("KeySpec").asText() + ".");
      };
    }
    JsonNode n = req.get("NumberOfBytes");
    if (!n.canConvertToInt() || n.asInt() < 1 || n.asInt() > 1024) {
      throw KmsServiceException.validation("NumberOfBytes must be between 1 and 1024, got " + n + ".");
    }
    return n.asInt();
  }

  private static void requireAlgorithm(JsonNode req, String field) {
    String algorithm = optionalText(req, field, ALGORITHM);
    if (!ALGORITHM.equals(algorithm)) {
      throw KmsServiceException.validation(field + " must be SYMMETRIC_DEFAULT, got " + algorithm
          + ".");
    }
  }

  private static Map<String, String> context(JsonNode req, String field) {
    JsonNode n = req.get(field);
    Map<String, String> context = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return context;
    }
    if (!n.isObject()) {
      throw KmsServiceException.validation(field + " must be a map of strings.");
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!e.getValue().isTextual()) {
        throw KmsServiceException.validation(field + " values must be strings.");
      }
      context.put(e.getKey(), e.getValue().asText());
    }
    return context;
  }

  private static byte[] blob(JsonNode req, String field) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text(req, field));
    } catch (IllegalArgumentException e) {
      throw KmsServiceException.serialization(field + " is not valid base64.");
    }
    if (bytes.length == 0) {
      throw KmsServiceException.validation(field + " must not be empty.");
    }
    return bytes;
  }

  private static String text(JsonNode req, String field) {
    JsonNode n = req.get(field);
    if (n == null || n.isNull()) {
      throw KmsServiceException.validation("1 validation error detected: Value null at '"
          + field + "' failed to satisfy constraint: Member must not be null");
    }
    if (!n.isTextual()) {
      throw KmsServiceException.serialization(field + " must be a string.");
    }
    return n.asText();
  }

  private static String optionalText(JsonNode req, String field, String fallback) {
    return req.hasNonNull(field) ? text(req, field) : fallback;
  }

  /** AWS JSON protocol timestamps: epoch seconds as a number, milliseconds as the fraction. */
  private static DecimalNode timestamp(Instant instant) {
    return DecimalNode.valueOf(BigDecimal.valueOf(instant.toEpochMilli(), 3));
  }

  private static ObjectNode object() {
    return JSON.createObjectNode();
  }
}
