/** Health checks of the backup service: liveness, readiness and the {@code dependencies} group. */
package io.lifeboat.backup.health;
