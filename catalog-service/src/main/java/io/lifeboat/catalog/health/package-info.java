/**
 * Health checks of the catalog service. Readiness checks only what the service needs to answer
 * requests, so an outage of Kafka, S3 or the KMS degrades the service instead of taking every pod out
 * of rotation; those will sit in a separate {@code dependencies} group.
 */
package io.lifeboat.catalog.health;
