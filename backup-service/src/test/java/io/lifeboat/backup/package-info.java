/**
 * Tests of the backup service as a running Quarkus application; they also cover what
 * service-support gives every service (problem details, the dependencies health group), once.
 */
package io.lifeboat.backup;
