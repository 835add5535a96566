package io.lifeboat.devkms;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the AWS Signature Version 4 {@code Authorization} header of a request against the one
 * configured access key and secret, region and service {@code kms}, and rejects with the error
 * types AWS uses. Not checked, because a development server gains nothing from them: the request
 * time window (replay protection) and pre-signed query-string authentication.
 * Stateless and thread-safe.
 */
final class SigV4Verifier {
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final HexFormat HEX = HexFormat.of();

  private final String accessKey;
  private final byte[] secretKey;
  private final String region;

  SigV4Verifier(String accessKey, String secretKey, String region) {
    this.accessKey = accessKey;
    this.secretKey = ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8);
    this.region = region;
  }

  /**
   * @param rawPath the request path as sent (still percent-encoded)
   * @param rawQuery the query as sent, or null
   * @throws KmsServiceException MissingAuthenticationTokenException, IncompleteSignatureException,
   *     UnrecognizedClientException (unknown access key) or InvalidSignatureException
   */
  void verify(String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
    String authorization = headers.getFirst("Authorization");
    if (authorization == null || authorization.isBlank()) {
      throw KmsServiceException.missingAuthentication("Request is missing Authentication Token");
    }
    if (!authorization.startsWith(ALGORITHM + " ")) {
      throw KmsServiceException.incompleteSignature("Only " + ALGORITHM + " is supported.");
    }
    Map<String, String> parts = new HashMap<>();
    for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    String amzDate = headers.getFirst("X-Amz-Date");
    if (credential == null || signedHeaders == null || signature == null || amzDate == null) {
      throw KmsServiceException.incompleteSignature("Authorization header requires Credential, "
          + "SignedHeaders and Signature, and the request an X-Amz-Date header.");
    }
    String[] scope = credential.split("/");
    if (scope.length != 5) {
      throw KmsServiceException.incompleteSignature("Malformed Credential " + credential + ".");
    }
    if (!MessageDigest.isEqual(scope[0].getBytes(StandardCharsets.UTF_8),
        accessKey.getBytes(StandardCharsets.UTF_8))) {
      throw KmsServiceException.unrecognizedClient();
    }
    if (!scope[2].equals(region) || !scope[3].equals("kms") || !scope[4].equals("aws4_request")) {
      throw KmsServiceException.invalidSignature("Credential should be scoped to region '" + region
          + "' and service 'kms', got '" + scope[2] + "/" + scope[3] + "'.");
    }
    if (!amzDate.startsWith(scope[1])) {
      throw KmsServiceException.invalidSignature("Credential date " + scope[1]
          + " does not match X-Amz-Date " + amzDate + ".");
    }

    StringBuilder canonicalHeaders = new StringBuilder();
    for (String name : signedHeaders.split(";")) {
      List<String> values = headers.get(name);
      if (values == null) {
        throw KmsServiceException.invalidSignature("Signed header " + name + " is missing.");
      }
      canonicalHeaders.append(name).append(':').append(values.stream()
          .map(v -> v.trim().replaceAll("\\s+", " ")).collect(Collectors.joining(","))).append('\n');
    }
    String canonicalRequest = String.join("\n", method, rawPath.isEmpty() ? "/" : rawPath,
        canonicalQuery(rawQuery), canonicalHeaders.toString(), signedHeaders, sha256Hex(body));
    String stringToSign = String.join("\n", ALGORITHM, amzDate,
        String.join("/", Arrays.copyOfRange(scope, 1, 5)),
        sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8)));

    byte[] key = secretKey;
    for (String step : Arrays.copyOfRange(scope, 1, 5)) {
      key = hmac(key, step);
    }
    byte[] expected = HEX.formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
      throw KmsServiceException.invalidSignature("The request signature we calculated does not "
          + "match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    return Arrays.stream(rawQuery.split("&")).map(p -> p.contains("=") ? p : p + "=").sorted()
        .collect(Collectors.joining("&"));
  }

  private static String sha256Hex(byte[] data) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
