/**
 * CDI wiring of the backup service: producers and start-up hooks that connect framework facilities
 * (Micrometer) to the service's configuration.
 */
package io.lifeboat.backup.infra;
