package io.lifeboat.common.store;

/**
 * S3 Object Lock retention modes. Both forbid deleting or overwriting a locked object version
 * before its retain-until date; they differ in who may weaken that.
 */
public enum ObjectLockMode {
    /** Users with {@code s3:BypassGovernanceRetention} may shorten or remove the retention. */
    GOVERNANCE,
    /** Nobody, not even the account root, may shorten or remove the retention; it may only be extended. */
    COMPLIANCE
}
