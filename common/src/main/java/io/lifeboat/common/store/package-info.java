/**
 * The {@link io.lifeboat.common.store.ObjectStore} port: the only way the core reads and writes
 * the bucket (or directory) that holds a repository. Adapters live in sub-packages
 * ({@code local}, later {@code s3}); retry, metrics, throttling and fault injection are
 * decorators around the port, never code inside an adapter.
 */
package io.lifeboat.common.store;
