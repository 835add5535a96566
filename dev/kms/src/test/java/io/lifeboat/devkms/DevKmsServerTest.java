package io.lifeboat.devkms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidAliasNameException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/**
 * Drives the real server, in-process on a free port, with the unmodified AWS SDK v2 KmsClient.
 */
class DevKmsServerTest {
  private static final String ACCESS_KEY = "dev-access";
  private static final String SECRET_KEY = "dev-secret";
  private static final byte[] SECRET = "attack at dawn".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dataDir;

  private DevKmsServer server;
  private KmsClient kms;

  @BeforeEach
  void start() throws IOException {
    server = DevKmsServer.start(config(dataDir));
    kms = client(ACCESS_KEY, SECRET_KEY);
  }

  @AfterEach
  void stop() {
    kms.close();
    server.close();
  }

  @Test
  void generateDataKeyViaAliasThenDecryptRoundTrips() {
    KeyMetadata key = createKey();
    assertThat(key.arn()).isEqualTo("arn:aws:kms:us-east-1:000000000000:key/" + key.keyId());
    assertThat(key.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(key.enabled()).isTrue();
    assertThat(key.creationDate()).isNotNull();
    kms.createAlias(r -> r.aliasName("alias/round-trip").targetKeyId(key.keyId()));

    GenerateDataKeyResponse dataKey = kms.generateDataKey(
        r -> r.keyId("alias/round-trip").keySpec(DataKeySpec.AES_256));
    assertThat(dataKey.plaintext().asByteArray()).hasSize(32);
    DecryptResponse decrypted = kms.decrypt(r -> r.ciphertextBlob(dataKey.ciphertextBlob()));

    assertThat(decrypted.plaintext()).isEqualTo(dataKey.plaintext());
    assertThat(decrypted.keyId()).isEqualTo(key.arn());
    assertThat(kms.listAliases().aliases())
        .anySatisfy(a -> {
          assertThat(a.aliasName()).isEqualTo("alias/round-trip");
          assertThat(a.targetKeyId()).isEqualTo(key.keyId());
          assertThat(a.aliasArn()).isEqualTo("arn:aws:kms:us-east-1:000000000000:alias/round-trip");
        });
    assertThat(kms.listKeys().keys()).anySatisfy(k -> assertThat(k.keyArn()).isEqualTo(key.arn()));
  }

  @Test
  void responsesNameTheKeyByArnWhateverTheCallerUsed() {
    KeyMetadata key = createKey();
    kms.createAlias(r -> r.aliasName("alias/by-arn").targetKeyId(key.arn()));
    String aliasArn = "arn:aws:kms:us-east-1:000000000000:alias/by-arn";

    for (String ref : new String[] {key.keyId(), key.arn(), "alias/by-arn", aliasArn}) {
      assertThat(kms.encrypt(r -> r.keyId(ref).plaintext(SdkBytes.fromByteArray(SECRET))).keyId())
          .as(ref).isEqualTo(key.arn());
      assertThat(kms.describeKey(r -> r.keyId(ref)).keyMetadata().arn()).isEqualTo(key.arn());
      assertThat(kms.generateDataKeyWithoutPlaintext(r -> r.keyId(ref).numberOfBytes(24)).keyId())
          .isEqualTo(key.arn());
    }
  }

  @Test
  void generateDataKeyHonoursKeySpecAndNumberOfBytes() {
    KeyMetadata key = createKey();
    assertThat(kms.generateDataKey(r -> r.keyId(key.keyId()).keySpec(DataKeySpec.AES_128))
        .plaintext().asByteArray()).hasSize(16);
    assertThat(kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(7))
        .plaintext().asByteArray()).hasSize(7);
    var withoutPlaintext = kms.generateDataKeyWithoutPlaintext(
        r -> r.keyId(key.keyId()).keySpec(DataKeySpec.AES_256));
    assertThat(kms.decrypt(r -> r.ciphertextBlob(withoutPlaintext.ciphertextBlob()))
        .plaintext().asByteArray()).hasSize(32);
    assertThatThrownBy(() -> kms.generateDataKey(r -> r.keyId(key.keyId())))
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(
            e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
  }

  @Test
  void decryptRefusesAWrongOrMissingEncryptionContext() {
    KeyMetadata key = createKey();
    SdkBytes blob = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(SECRET))
        .encryptionContext(Map.of("repository", "r1", "purpose", "master-key"))).ciphertextBlob();

    assertThat(kms.decrypt(r -> r.ciphertextBlob(blob)
        .encryptionContext(Map.of("purpose", "master-key", "repository", "r1")))
        .plaintext().asByteArray()).isEqualTo(SECRET);
    assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(blob)
        .encryptionContext(Map.of("repository", "r2", "purpose", "master-key"))))
        .isInstanceOf(InvalidCiphertextException.class);
    assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(blob)))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void ciphertextsSurviveARestartOnTheSameDataDir() throws IOException {
    KeyMetadata key = createKey();
    SdkBytes blob = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(SECRET))
        .encryptionContext(Map.of("k", "v"))).ciphertextBlob();
    kms.createAlias(r -> r.aliasName("alias/persisted").targetKeyId(key.keyId()));
    stop();

    start();

    DecryptResponse decrypted = kms.decrypt(r -> r.ciphertextBlob(blob)
        .encryptionContext(Map.of("k", "v")));
    assertThat(decrypted.plaintext().asByteArray()).isEqualTo(SECRET);
    assertThat(kms.describeKey(r -> r.keyId("alias/persisted")).keyMetadata().arn())
        .isEqualTo(key.arn());
  }

  @Test
  void aSecondServerOnTheSameDataDirIsRefused() {
    assertThatThrownBy(() -> DevKmsServer.start(config(dataDir)))
        .isInstanceOf(IOException.class).hasMessageContaining("in use");
  }

  @Test
  void aCorruptKeyFileStopsTheStartWithAClearMessageAndFreesTheDataDir() throws IOException {
    stop();
    Path keyFile = dataDir.resolve(DevKmsKeyStore.FILE_NAME);
    Files.writeString(keyFile, "{\"keys\": [{\"keyId\": \"x\"}]}");

    assertThatThrownBy(() -> DevKmsServer.start(config(dataDir)))
        .isInstanceOf(IOException.class).hasMessageContaining(keyFile.toString());

    Files.delete(keyFile);
    start();
    assertThat(kms.listKeys().keys()).isEmpty();
  }

  @Test
  void reEncryptMovesACiphertextToAnotherKey() {
    KeyMetadata first = createKey();
    KeyMetadata second = createKey();
    SdkBytes blob = kms.encrypt(r -> r.keyId(first.keyId()).plaintext(SdkBytes.fromByteArray(SECRET))
        .encryptionContext(Map.of("slot", "1"))).ciphertextBlob();

    ReEncryptResponse moved = kms.reEncrypt(r -> r.ciphertextBlob(blob)
        .sourceEncryptionContext(Map.of("slot", "1"))
        .destinationKeyId(second.keyId()).destinationEncryptionContext(Map.of("slot", "2")));

    assertThat(moved.sourceKeyId()).isEqualTo(first.arn());
    assertThat(moved.keyId()).isEqualTo(second.arn());
    DecryptResponse decrypted = kms.decrypt(r -> r.ciphertextBlob(moved.ciphertextBlob())
        .encryptionContext(Map.of("slot", "2")));
    assertThat(decrypted.keyId()).isEqualTo(second.arn());
    assertThat(decrypted.plaintext().asByteArray()).isEqualTo(SECRET);
    assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(moved.ciphertextBlob())
        .keyId(first.keyId()).encryptionContext(Map.of("slot", "2"))))
        .isInstanceOf(IncorrectKeyException.class);
  }

  @Test
  void aDisabledKeyRefusesCryptoUntilEnabledAgain() {
    KeyMetadata key = createKey();
    SdkBytes blob = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(SECRET)))
        .ciphertextBlob();

    kms.disableKey(r -> r.keyId(key.arn()));

    assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState())
        .isEqualTo(KeyState.DISABLED);
    assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId())
        .plaintext(SdkBytes.fromByteArray(SECRET)))).isInstanceOf(DisabledException.class);
    assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(blob)))
        .isInstanceOf(DisabledException.class);
    assertThatThrownBy(() -> kms.generateDataKey(r -> r.keyId(key.keyId())
        .keySpec(DataKeySpec.AES_256))).isInstanceOf(DisabledException.class);

    kms.enableKey(r -> r.keyId(key.keyId()));

    assertThat(kms.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asByteArray()).isEqualTo(SECRET);
  }

  @Test
  void aKeyPendingDeletionIsInInvalidStateUntilCancelled() {
    KeyMetadata key = createKey();
    SdkBytes blob = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(SECRET)))
        .ciphertextBlob();
    assertThatThrownBy(() -> kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(6)))
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(
            e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));

    var scheduled = kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));

    assertThat(scheduled.keyState()).isEqualTo(KeyState.PENDING_DELETION);
    assertThat(scheduled.keyId()).isEqualTo(key.arn());
    assertThat(scheduled.deletionDate()).isAfter(key.creationDate());
    assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_DELETION);
    assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId())
        .plaintext(SdkBytes.fromByteArray(SECRET)))).isInstanceOf(KmsInvalidStateException.class);
    assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(blob)))
        .isInstanceOf(KmsInvalidStateException.class);
    assertThatThrownBy(() -> kms.enableKey(r -> r.keyId(key.keyId())))
        .isInstanceOf(KmsInvalidStateException.class);

    kms.cancelKeyDeletion(r -> r.keyId(key.keyId()));

    assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState())
        .isEqualTo(KeyState.DISABLED);
    kms.enableKey(r -> r.keyId(key.keyId()));
    assertThat(kms.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asByteArray()).isEqualTo(SECRET);
  }

  @Test
  void unknownKeysAndAliasesAreNotFound() {
    String unknown = UUID.randomUUID().toString();
    assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(unknown)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> kms.encrypt(r -> r.keyId("alias/nope")
        .plaintext(SdkBytes.fromByteArray(SECRET)))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> kms.generateDataKey(r -> r.keyId(
        "arn:aws:kms:eu-west-1:000000000000:key/" + unknown).keySpec(DataKeySpec.AES_256)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aliasesAreUniqueAndAwsNamesAreReserved() {
    KeyMetadata key = createKey();
    kms.createAlias(r -> r.aliasName("alias/once").targetKeyId(key.keyId()));
    assertThatThrownBy(() -> kms.createAlias(r -> r.aliasName("alias/once").targetKeyId(key.keyId())))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> kms.createAlias(r -> r.aliasName("alias/aws/s3").targetKeyId(key.keyId())))
        .isInstanceOf(InvalidAliasNameException.class);
  }

  @Test
  void aWrongAccessKeyOrSecretIsRefused() {
    try (KmsClient stranger = client("someone-else", SECRET_KEY);
        KmsClient forger = client(ACCESS_KEY, "not-the-secret")) {
      assertThatThrownBy(() -> stranger.listKeys())
          .isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
            assertThat(e.statusCode()).isEqualTo(400);
          });
      assertThatThrownBy(() -> forger.listKeys())
          .isInstanceOfSatisfying(KmsException.class, e -> assertThat(
              e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
    }
  }

  @Test
  void aTamperedCiphertextIsInvalid() {
    KeyMetadata key = createKey();
    byte[] blob = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(SECRET)))
        .ciphertextBlob().asByteArray();

    for (int index : new int[] {0, 1, 40, 2 + 36 + 3, blob.length - 1}) {
      byte[] tampered = blob.clone();
      tampered[index] ^= 0x01;
      assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(tampered))))
          .as("bit flipped at %d", index).isInstanceOf(InvalidCiphertextException.class);
    }
    byte[] truncated = java.util.Arrays.copyOf(blob, blob.length - 1);
    assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(truncated))))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void malformedJsonGetsAClear400() throws Exception {
    HttpResponse<String> response = signedPost("TrentService.Encrypt", "{\"KeyId\": ");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"__type\":\"SerializationException\"")
        .contains("not valid JSON");
    assertThat(signedPost("TrentService.Encrypt", "[1, 2]").body())
        .contains("SerializationException");
    assertThat(signedPost("TrentService.Encrypt", "{\"KeyId\": 5}").statusCode()).isEqualTo(400);
    assertThat(signedPost("TrentService.TagResource", "{}").body())
        .contains("UnknownOperationException");
    // The server still serves afterwards.
    assertThat(kms.listKeys().keys()).isEmpty();
  }

  @Test
  void healthAnswersOkWithoutCredentials() throws Exception {
    HttpResponse<String> response = http().send(
        HttpRequest.newBuilder(server.endpoint().resolve("/health")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
  }

  @Test
  void unsignedRequestsAreRefused() throws Exception {
    HttpResponse<String> response = http().send(
        HttpRequest.newBuilder(server.endpoint().resolve("/"))
            .header("X-Amz-Target", "TrentService.ListKeys")
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("MissingAuthenticationTokenException");
  }

  @Test
  void bootstrapAliasCreatesOneKeyAndWritesItsArn() throws IOException {
    stop();
    DevKmsConfig withAlias = DevKmsConfig.parse("--port", "0", "--data-dir", dataDir.toString(),
        "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY,
        "--bootstrap-alias", "alias/lifeboat-dev");
    server = DevKmsServer.start(withAlias);
    kms = client(ACCESS_KEY, SECRET_KEY);
    String arn = Files.readString(dataDir.resolve(DevKmsServer.BOOTSTRAP_ARN_FILE)).strip();
    assertThat(kms.describeKey(r -> r.keyId("alias/lifeboat-dev")).keyMetadata().arn())
        .isEqualTo(arn);
    stop();

    server = DevKmsServer.start(withAlias);
    kms = client(ACCESS_KEY, SECRET_KEY);

    assertThat(Files.readString(dataDir.resolve(DevKmsServer.BOOTSTRAP_ARN_FILE)).strip())
        .isEqualTo(arn);
    assertThat(kms.listKeys().keys()).hasSize(1);
  }

  private KeyMetadata createKey() {
    return kms.createKey(r -> r.description("test key")).keyMetadata();
  }

  private static DevKmsConfig config(Path dir) {
    return DevKmsConfig.parse("--port", "0", "--data-dir", dir.toString(),
        "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY);
  }

  private KmsClient client(String accessKey, String secretKey) {
    return KmsClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static HttpClient http() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Sends a correctly signed request with an arbitrary body, which the SDK would never send. */
  private HttpResponse<String> signedPost(String target, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    URI endpoint = server.endpoint();
    SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
        .uri(endpoint).encodedPath("/")
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", target).build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))
        .request(request).payload(ContentStreamProvider.fromByteArray(bytes))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kms")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
    HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve("/"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    signed.request().forEachHeader((name, values) -> {
      if (!name.equalsIgnoreCase("Host")) { // the client sets the same value itself
        values.forEach(v -> builder.header(name, v));
      }
    });
    return http().send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
