/**
 * Micrometer wiring shared by every service: the common {@code service} tag and the
 * {@code lifeboat_build_info} gauge.
 */
package io.lifeboat.service.metrics;
