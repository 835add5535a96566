package io.lifeboat.devkms;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the development KMS server.
 *
 * @param bind address to listen on; defaults to {@code 127.0.0.1}
 * @param port TCP port; {@code 0} picks a free one; defaults to {@code 18090}
 * @param dataDir where {@code keys.json} and {@code bootstrap-key-arn} live; required
 * @param accessKey the only access key accepted in SigV4 signatures; required
 * @param secretKey its secret; required, never logged
 * @param region the region in ARNs and signature scopes; defaults to {@code us-east-1}
 * @param account the account id in ARNs; defaults to {@code 000000000000}
 * @param bootstrapAlias alias to ensure at start, e.g. {@code alias/lifeboat-dev}; optional
 */
public record DevKmsConfig(String bind, int port, Path dataDir, String accessKey, String secretKey,
    String region, String account, Optional<String> bootstrapAlias) {

  static final String USAGE = "usage: java -jar lifeboat-dev-kms.jar --data-dir DIR --access-key KEY"
      + " --secret-key SECRET [--port 18090] [--bind 127.0.0.1] [--region us-east-1]"
      + " [--account 000000000000] [--bootstrap-alias alias/NAME]";
  private static final Set<String> OPTIONS = Set.of("bind", "port", "data-dir", "access-key",
      "secret-key", "region", "account", "bootstrap-alias");

  @Override
  public String toString() {
    return "DevKmsConfig[bind=" + bind + ", port=" + port + ", dataDir=" + dataDir + ", accessKey="
        + accessKey + ", secretKey=***, region=" + region + ", account=" + account
        + ", bootstrapAlias=" + bootstrapAlias.orElse("-") + "]";
  }

  /**
   * Parses {@code --name value} or {@code --name=value} arguments.
   *
   * @throws IllegalArgumentException with a one-line message naming the problem
   */
  public static DevKmsConfig parse(String... args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("option --" + name + " needs a value");
      }
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      values.put(name, value);
    }
    for (String required : new String[] {"data-dir", "access-key", "secret-key"}) {
      if (values.getOrDefault(required, "").isBlank()) {
        throw new IllegalArgumentException("option --" + required + " is required");
      }
    }
    int port;
    try {
      port = Integer.parseInt(values.getOrDefault("port", "18090"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a number, got '" + values.get("port") + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    }
    String alias = values.get("bootstrap-alias");
    if (alias != null && !alias.startsWith("alias/")) {
      throw new IllegalArgumentException("--bootstrap-alias must start with alias/, got '" + alias
          + "'");
    }
    return new DevKmsConfig(values.getOrDefault("bind", "127.0.0.1"), port,
        Path.of(values.get("data-dir")), values.get("access-key"), values.get("secret-key"),
        values.getOrDefault("region", "us-east-1"), values.getOrDefault("account", "000000000000"),
        Optional.ofNullable(alias));
  }
}
