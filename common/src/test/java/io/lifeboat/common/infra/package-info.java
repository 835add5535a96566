/**
 * Integration tests proving that each local server of {@code dev/infra.sh} is real: a round trip with
 * the real client library (Kafka consumer groups, S3 multipart and ranged reads with signature auth,
 * PostgreSQL over JDBC, KMS envelope keys). They fail, never skip, when a server is missing.
 */
package io.lifeboat.common.infra;
