/**
 * A {@link io.lifeboat.common.keys.KeyProvider} on AWS KMS (or anything speaking its JSON
 * protocol, such as the development KMS in {@code dev/kms}): the only place in the key hierarchy
 * that sees AWS SDK types.
 */
package io.lifeboat.common.keys.awskms;
