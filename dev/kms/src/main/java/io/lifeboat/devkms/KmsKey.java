package io.lifeboat.devkms;

import java.time.Instant;

/**
 * One symmetric KMS key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) with its 256-bit AES key material.
 *
 * @param deletionDate when a key in {@link State#PENDING_DELETION} disappears; null otherwise
 */
record KmsKey(String keyId, String arn, String description, Instant creationDate, State state,
    Instant deletionDate, byte[] material) {

  /** The subset of AWS key states this server models, with their wire names. */
  enum State {
    ENABLED("Enabled"), DISABLED("Disabled"), PENDING_DELETION("PendingDeletion");

    private final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }

    String wireName() {
      return wireName;
    }

    static State fromWireName(String name) {
      for (State s : values()) {
        if (s.wireName.equals(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown key state " + name);
    }
  }

  KmsKey withState(State newState, Instant newDeletionDate) {
    return new KmsKey(keyId, arn, description, creationDate, newState, newDeletionDate, material);
  }

  /** Throws what AWS throws when a cryptographic operation names a key that cannot be used. */
  KmsKey requireUsable() {
    return switch (state) {
      case ENABLED -> this;
      case DISABLED -> throw KmsServiceException.disabled(arn + " is disabled.");
      case PENDING_DELETION -> throw KmsServiceException.invalidState(
          arn + " is pending deletion.");
    };
  }

  @Override
  public String toString() {
    return "KmsKey[" + arn + ", " + state.wireName() + "]"; // never the key material
  }
}
