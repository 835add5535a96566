package io.lifeboat.devkms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Keys and aliases of the development KMS, kept in memory and persisted after every change to
 * {@code <data-dir>/keys.json} (temp file, fsync, atomic rename), so a crash leaves either the old
 * or the new state. The file holds the key material in clear: this is a development server.
 *
 * <p>Thread-safe: every method is synchronized. Keys whose deletion date has passed are removed,
 * with their aliases, the next time the store is used.
 */
final class DevKmsKeyStore {
  static final String FILE_NAME = "keys.json";
  private static final Pattern ALIAS_NAME = Pattern.compile("alias/[a-zA-Z0-9/_-]{1,250}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An alias; {@code name} includes the {@code alias/} prefix. */
  record Alias(String name, String arn, String targetKeyId, Instant creationDate) {}

  private final Path file;
  private final String region;
  private final String account;
  private final Map<String, KmsKey> keys = new LinkedHashMap<>();
  private final Map<String, Alias> aliases = new TreeMap<>();

  DevKmsKeyStore(Path dataDir, String region, String account) throws IOException {
    Files.createDirectories(dataDir);
    this.file = dataDir.resolve(FILE_NAME);
    this.region = region;
    this.account = account;
    if (Files.exists(file)) {
      try {
        load(JSON.readTree(file.toFile()));
      } catch (RuntimeException e) {
        throw new IOException(file + " is not a key file of this server: " + e.getMessage(), e);
      }
    }
  }

  synchronized KmsKey createKey(String description) {
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    String id = UUID.randomUUID().toString();
    KmsKey key = new KmsKey(id, keyArn(id), description, Instant.now(), KmsKey.State.ENABLED,
        null, material);
    keys.put(id, key);
    persist();
    return key;
  }

  /**
   * Resolves a key id, key ARN, alias name ({@code alias/x}) or alias ARN.
   *
   * @throws KmsServiceException NotFoundException when nothing matches
   */
  synchronized KmsKey resolve(String keyIdOrAlias) {
    purgeExpired();
    if (keyIdOrAlias == null || keyIdOrAlias.isEmpty()) {
      throw KmsServiceException.validation("KeyId is required.");
    }
    String ref = keyIdOrAlias;
    if (ref.startsWith("arn:")) {
      String prefix = "arn:aws:kms:" + region + ":" + account + ":";
      if (!ref.startsWith(prefix)) {
        throw KmsServiceException.notFound("Invalid arn " + ref + " (this server is region "
            + region + ", account " + account + ").");
      }
      ref = ref.substring(prefix.length());
      if (ref.startsWith("key/")) {
        ref = ref.substring("key/".length());
      } else if (!ref.startsWith("alias/")) {
        throw KmsServiceException.notFound("Invalid arn " + keyIdOrAlias + ".");
      }
    }
    if (ref.startsWith("alias/")) {
      Alias alias = aliases.get(ref);
      if (alias == null) {
        throw KmsServiceException.notFound("Alias " + aliasArn(ref) + " is not found.");
      }
      ref = alias.targetKeyId();
    }
    KmsKey key = keys.get(ref);
    if (key == null) {
      throw KmsServiceException.notFound("Key '" + keyArn(ref) + "' does not exist");
    }
    return key;
  }

  synchronized Optional<Alias> alias(String name) {
    purgeExpired();
    return Optional.ofNullable(aliases.get(name));
  }

  /** Creates {@code name} pointing at a key named by id or key ARN (not by another alias). */
  synchronized Alias createAlias(String name, String targetKeyId) {
    if (name == null || !ALIAS_NAME.matcher(name).matches()) {
      throw KmsServiceException.validation("AliasName must match alias/[a-zA-Z0-9/_-]+, got "
          + name + ".");
    }
    if (name.startsWith("alias/aws/")) {
      throw KmsServiceException.invalidAliasName("Aliases beginning with alias/aws/ are reserved.");
    }
    if (targetKeyId != null && (targetKeyId.startsWith("alias/") || targetKeyId.contains(":alias/"))) {
      throw KmsServiceException.validation("TargetKeyId must be a key id or key ARN, not an alias.");
    }
    KmsKey key = resolve(targetKeyId);
    if (key.state() == KmsKey.State.PENDING_DELETION) {
      throw KmsServiceException.invalidState(key.arn() + " is pending deletion.");
    }
    if (aliases.containsKey(name)) {
      throw KmsServiceException.alreadyExists("An alias with the name " + aliasArn(name)
          + " already exists");
    }
    Alias alias = new Alias(name, aliasArn(name), key.keyId(), Instant.now());
    aliases.put(name, alias);
    persist();
    return alias;
  }

  synchronized KmsKey update(KmsKey key) {
    keys.put(key.keyId(), key);
    persist();
    return key;
  }

  synchronized List<KmsKey> keys() {
    purgeExpired();
    return List.copyOf(keys.values());
  }

  synchronized List<Alias> aliases() {
    purgeExpired();
    return List.copyOf(aliases.values());
  }

  private String keyArn(String keyId) {
    return "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
  }

  private String aliasArn(String name) {
    return "arn:aws:kms:" + region + ":" + account + ":" + name;
  }

  private void purgeExpired() {
    Instant now = Instant.now();
    boolean changed = keys.values().removeIf(
        k -> k.deletionDate() != null && !k.deletionDate().isAfter(now));
    if (changed) {
      aliases.values().removeIf(a -> !keys.containsKey(a.targetKeyId()));
      persist();
    }
  }

  private void load(JsonNode root) {
    for (JsonNode k : root.path("keys")) {
      String id = k.path("keyId").asText();
      JsonNode deletion = k.path("deletionDate");
      keys.put(id, new KmsKey(id, keyArn(id), k.path("description").asText(""),
          Instant.parse(k.path("creationDate").asText()),
          KmsKey.State.fromWireName(k.path("state").asText()),
          deletion.isTextual() ? Instant.parse(deletion.asText()) : null,
          Base64.getDecoder().decode(k.path("material").asText())));
    }
    for (JsonNode a : root.path("aliases")) {
      String name = a.path("name").asText();
      aliases.put(name, new Alias(name, aliasArn(name), a.path("targetKeyId").asText(),
          Instant.parse(a.path("creationDate").asText())));
    }
  }

  private void persist() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "lifeboat-dev-kms/1");
    ArrayNode keyArray = root.putArray("keys");
    for (KmsKey k : keys.values()) {
      ObjectNode n = keyArray.addObject();
      n.put("keyId", k.keyId());
      n.put("description", k.description());
      n.put("creationDate", k.creationDate().toString());
      n.put("state", k.state().wireName());
      if (k.deletionDate() != null) {
        n.put("deletionDate", k.deletionDate().toString());
      }
      n.put("material", Base64.getEncoder().encodeToString(k.material()));
    }
    ArrayNode aliasArray = root.putArray("aliases");
    for (Alias a : aliases.values()) {
      aliasArray.addObject().put("name", a.name()).put("targetKeyId", a.targetKeyId())
          .put("creationDate", a.creationDate().toString());
    }
    try {
      writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes a temp file next to {@code target}, forces it to disk, then renames it over target. */
  static void writeAtomically(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
