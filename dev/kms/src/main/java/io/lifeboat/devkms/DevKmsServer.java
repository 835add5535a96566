package io.lifeboat.devkms;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Lifeboat's development KMS server: a DEVELOPMENT AND TEST stand-in for AWS KMS that speaks the
 * AWS KMS JSON protocol (POST {@code /}, {@code X-Amz-Target: TrentService.<Op>},
 * {@code application/x-amz-json-1.1}), so the unmodified AWS SDK v2 {@code KmsClient} and
 * Lifeboat's AWS KMS key provider can be exercised locally. Production points the same client at
 * AWS KMS; nothing in this server is meant to protect real data (the key material sits in clear in
 * {@code <data-dir>/keys.json}).
 *
 * <p>What is real: AES-256-GCM encryption with one random 256-bit key per KMS key, the encryption
 * context bound as additional authenticated data, SigV4 signature checks against one configured
 * access key, AWS's error types and status codes, key states (enabled, disabled, pending deletion)
 * and persistence across restarts. Supported operations are listed in {@link KmsOperations};
 * {@code GET /health} answers {@code 200 ok}.
 *
 * <p>One server per data directory (enforced with a lock file). Thread-safe; {@link #close()} stops
 * it and releases the directory.
 */
public final class DevKmsServer implements AutoCloseable {
  static final String BOOTSTRAP_ARN_FILE = "bootstrap-key-arn";
  private static final String JSON_TYPE = "application/x-amz-json-1.1";
  private static final String TARGET_PREFIX = "TrentService.";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final HttpServer http;
  private final ExecutorService executor;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final DevKmsKeyStore store;
  private final KmsOperations operations;
  private final SigV4Verifier verifier;

  private DevKmsServer(DevKmsConfig config) throws IOException {
    Files.createDirectories(config.dataDir());
    lockChannel = FileChannel.open(config.dataDir().resolve("lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    try {
      lock = tryLock(lockChannel);
      if (lock == null) {
        throw new IOException("data dir " + config.dataDir() + " is in use by another server");
      }
      store = new DevKmsKeyStore(config.dataDir(), config.region(), config.account());
      operations = new KmsOperations(store, config.account());
      verifier = new SigV4Verifier(config.accessKey(), config.secretKey(), config.region());
      config.bootstrapAlias().ifPresent(alias -> bootstrap(alias, config.dataDir()));
      http = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 0);
    } catch (IOException | RuntimeException e) {
      lockChannel.close(); // releases the lock too
      throw e;
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
  }

  /**
   * Starts a server; it serves until {@link #close()}.
   *
   * @throws IOException if the port is taken, the data dir unusable or used by another server
   */
  public static DevKmsServer start(DevKmsConfig config) throws IOException {
    return new DevKmsServer(config);
  }

  public static void main(String[] args) {
    DevKmsConfig config;
    try {
      config = DevKmsConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("lifeboat-dev-kms: " + e.getMessage());
      System.err.println(DevKmsConfig.USAGE);
      System.exit(2);
      return;
    }
    DevKmsServer server;
    try {
      server = start(config);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("lifeboat-dev-kms: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "lifeboat-dev-kms-stop"));
    System.out.println("lifeboat-dev-kms ready on " + server.endpoint());
  }

  /** The base URL, e.g. {@code http://127.0.0.1:18090}, to use as the SDK's endpoint override. */
  public URI endpoint() {
    InetSocketAddress address = http.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  @Override
  public void close() {
    http.stop(0);
    executor.close();
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // The lock dies with the channel or the process anyway.
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by another server in this JVM
    }
  }

  /** Ensures {@code alias} exists (creating a key for it) and writes its key's ARN to a file. */
  private void bootstrap(String alias, Path dataDir) {
    String arn = store.alias(alias)
        .map(a -> store.resolve(a.targetKeyId()).arn())
        .orElseGet(() -> {
          KmsKey key = store.createKey("Lifeboat development key (bootstrap)");
          store.createAlias(alias, key.keyId());
          return key.arn();
        });
    try {
      DevKmsKeyStore.writeAtomically(dataDir.resolve(BOOTSTRAP_ARN_FILE),
          (arn + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + BOOTSTRAP_ARN_FILE, e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      if ("/health".equals(path) && "GET".equals(method)) {
        send(exchange, 200, "text/plain; charset=utf-8", "ok".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!"/".equals(path) || !"POST".equals(method)) {
        send(exchange, 404, "text/plain; charset=utf-8", ("Not found. The Lifeboat development KMS "
            + "serves POST / (AWS KMS JSON protocol) and GET /health.\n")
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] response;
      int status = 200;
      try {
        response = JSON.writeValueAsBytes(dispatch(exchange, body));
      } catch (KmsServiceException e) {
        status = e.status();
        exchange.getResponseHeaders().set("x-amzn-ErrorType", e.type());
        response = JSON.writeValueAsBytes(
            JSON.createObjectNode().put("__type", e.type()).put("message", e.getMessage()));
      } catch (RuntimeException e) {
        System.err.println("lifeboat-dev-kms: internal error: " + e);
        status = 500;
        exchange.getResponseHeaders().set("x-amzn-ErrorType", "KMSInternalException");
        response = JSON.writeValueAsBytes(JSON.createObjectNode()
            .put("__type", "KMSInternalException").put("message", "Internal error: " + e));
      }
      send(exchange, status, JSON_TYPE, response);
    }
  }

  private JsonNode dispatch(HttpExchange exchange, byte[] body) {
    verifier.verify(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target == null || !target.startsWith(TARGET_PREFIX)) {
      throw KmsServiceException.unknownOperation(
          "Missing or foreign X-Amz-Target header; expected TrentService.<Operation>, got " + target);
    }
    JsonNode request;
    try {
      request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (JacksonException e) {
      throw KmsServiceException.serialization("Request body is not valid JSON: "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (request == null || !request.isObject()) {
      throw KmsServiceException.serialization("Request body must be a JSON object.");
    }
    return operations.handle(target.substring(TARGET_PREFIX.length()), request);
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
  }
}
