/**
 * The object-store engine: backs up the objects under a prefix of an
 * {@link io.lifeboat.common.store.ObjectStore} (another bucket's uploads, through the S3 adapter) as
 * a file tree, key segments becoming directories, with change detection by ETag, size and
 * last-modified; and restores a snapshot into a prefix of a store. Knows only the port, never S3.
 */
package io.lifeboat.common.engine.objects;
