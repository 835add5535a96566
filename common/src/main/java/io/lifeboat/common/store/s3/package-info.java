/**
 * The S3 adapter of {@link io.lifeboat.common.store.ObjectStore}: AWS SDK v2 types appear here and
 * nowhere else in the store. It talks S3 only (AWS, S3Proxy, Ceph RGW and other compatible
 * servers): no retries, no metrics, no throttling; those are decorators in
 * {@code io.lifeboat.common.store.decorator}. Its one job beyond the protocol is to sort every SDK
 * failure into not-found, transient or permanent so retry is decided in one place.
 */
package io.lifeboat.common.store.s3;
