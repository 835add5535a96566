package io.lifeboat.devkms;

/**
 * An error answered to the client the way AWS KMS answers it: HTTP status plus a JSON body
 * {@code {"__type": type, "message": message}}. The AWS SDK maps {@code type} to its modelled
 * exception class (e.g. {@code NotFoundException}, {@code KMSInvalidStateException} becomes
 * {@code KmsInvalidStateException}); unmodelled types such as {@code ValidationException} arrive as a
 * plain {@code KmsException} carrying the type as its error code.
 */
final class KmsServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String type;
  private final int status;

  KmsServiceException(String type, int status, String message) {
    super(message, null, false, false);
    this.type = type;
    this.status = status;
  }

  String type() {
    return type;
  }

  int status() {
    return status;
  }

  static KmsServiceException notFound(String message) {
    return new KmsServiceException("NotFoundException", 400, message);
  }

  static KmsServiceException disabled(String message) {
    return new KmsServiceException("DisabledException", 400, message);
  }

  static KmsServiceException invalidState(String message) {
    return new KmsServiceException("KMSInvalidStateException", 400, message);
  }

  /** Deliberately one message for every cause, so a caller learns nothing about why. */
  static KmsServiceException invalidCiphertext() {
    return new KmsServiceException("InvalidCiphertextException", 400,
        "The ciphertext is invalid, was tampered with, or the encryption context does not match");
  }

  static KmsServiceException incorrectKey(String message) {
    return new KmsServiceException("IncorrectKeyException", 400, message);
  }

  static KmsServiceException validation(String message) {
    return new KmsServiceException("ValidationException", 400, message);
  }

  static KmsServiceException alreadyExists(String message) {
    return new KmsServiceException("AlreadyExistsException", 400, message);
  }

  static KmsServiceException invalidAliasName(String message) {
    return new KmsServiceException("InvalidAliasNameException", 400, message);
  }

  static KmsServiceException serialization(String message) {
    return new KmsServiceException("SerializationException", 400, message);
  }

  static KmsServiceException unknownOperation(String message) {
    return new KmsServiceException("UnknownOperationException", 400, message);
  }

  static KmsServiceException missingAuthentication(String message) {
    return new KmsServiceException("MissingAuthenticationTokenException", 400, message);
  }

  static KmsServiceException incompleteSignature(String message) {
    return new KmsServiceException("IncompleteSignatureException", 400, message);
  }

  static KmsServiceException unrecognizedClient() {
    return new KmsServiceException("UnrecognizedClientException", 400,
        "The security token included in the request is invalid.");
  }

  static KmsServiceException invalidSignature(String message) {
    return new KmsServiceException("InvalidSignatureException", 400, message);
  }
}
