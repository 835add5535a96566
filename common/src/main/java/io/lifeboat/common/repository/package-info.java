/**
 * The repository: the core vocabulary (blob ids, snapshots, journal entries), the
 * {@link io.lifeboat.common.repository.Repository} facade through which engines store and load
 * blobs and commit snapshots, and its implementation over an object store:
 * {@link io.lifeboat.common.repository.Repositories} creates and opens a
 * {@link io.lifeboat.common.repository.PackRepository},
 * {@link io.lifeboat.common.repository.RepositoryLayout} owns every object key and
 * {@link io.lifeboat.common.repository.RepositoryChecker} verifies metadata and data. The
 * byte-level format is specified in {@code docs/repository-format.md}.
 */
package io.lifeboat.common.repository;
