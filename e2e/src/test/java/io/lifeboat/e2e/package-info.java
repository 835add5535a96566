/**
 * End-to-end tests: the four services run as real, separately started JVMs (the packaged
 * {@code quarkus-run.jar} of each), started once per test JVM by {@link io.lifeboat.e2e.ServiceStackExtension}
 * and shared by every test class, so tests can kill, restart and probe them like an operator would.
 */
package io.lifeboat.e2e;
