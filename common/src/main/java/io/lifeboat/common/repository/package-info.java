/**
 * The repository: the core vocabulary (blob ids, snapshots, journal entries) and the
 * {@link io.lifeboat.common.repository.Repository} facade through which engines store and load
 * blobs and commit snapshots. The byte-level format is specified in
 * {@code docs/repository-format.md}.
 */
package io.lifeboat.common.repository;
