/** Health checks of the catalog service: liveness, readiness and the {@code dependencies} group. */
package io.lifeboat.catalog.health;
