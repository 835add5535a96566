/** Health checks of the restore service: liveness, readiness and the {@code dependencies} group. */
package io.lifeboat.restore.health;
