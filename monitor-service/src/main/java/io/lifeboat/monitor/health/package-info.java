/** Health checks of the monitor service: liveness, readiness and the {@code dependencies} group. */
package io.lifeboat.monitor.health;
