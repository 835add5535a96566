/**
 * Shared test harness: gives integration tests the real local servers that {@code dev/infra.sh}
 * starts (Kafka, S3Proxy, PostgreSQL, the development KMS; Ceph RGW and Keycloak on demand), reusing
 * running ones and stopping at JVM exit only what it started, plus private instances on free ports for
 * tests that stop or restart a server. See {@code docs/development.md}.
 */
package io.lifeboat.testing;
