/**
 * Health checks shared by every service. Liveness and readiness check only what the service needs to
 * answer requests, so an outage of Kafka, S3 or the KMS degrades a service instead of taking every pod
 * out of rotation; those servers are probed in the separate {@code dependencies} group
 * ({@code /q/health/group/dependencies}), one check per configured endpoint.
 */
package io.lifeboat.service.health;
