/**
 * Lifeboat's development KMS server, for development and tests only: a small HTTP server on the
 * JDK's built-in {@code HttpServer} that speaks the AWS KMS JSON protocol (TrentService) with real
 * AES-256-GCM, SigV4 authentication and keys persisted to a data directory, so the unmodified AWS
 * SDK v2 {@code KmsClient} and Lifeboat's AWS KMS key provider run against it locally exactly as
 * they run against AWS KMS in production. Entry point: {@link io.lifeboat.devkms.DevKmsServer}.
 * Depends on Jackson only and on no other Lifeboat module.
 */
package io.lifeboat.devkms;
