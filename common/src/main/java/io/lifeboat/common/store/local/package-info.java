/**
 * The filesystem adapter of {@link io.lifeboat.common.store.ObjectStore}: one file per object
 * under a root directory, written atomically (temporary file, fsync, rename), for the embedded
 * default, tests and air-gapped copies of a repository.
 */
package io.lifeboat.common.store.local;
