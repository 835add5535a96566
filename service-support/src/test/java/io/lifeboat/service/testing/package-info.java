/**
 * Test code that every service runs, shipped in this module's test-jar: abstract test classes whose
 * {@code @QuarkusTest} subclasses live in each service, so the checks are written once.
 */
package io.lifeboat.service.testing;
