package io.lifeboat.common.repository;

import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.keys.KeyProvider;
import io.lifeboat.common.keys.KeyProviderException;
import io.lifeboat.common.keys.KeySlot;
import io.lifeboat.common.keys.KmsAccess;
import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the master key: tries the key slots the credentials can open, cheapest first (key file,
 * then KMS through the KEK each {@code kms} slot records, then passphrase, since scrypt is the
 * slowest), and returns the first master key that authenticates (format section 4.2). When none
 * does, the failure is one line listing every reason: {@link KeyUnavailableException} if a KMS
 * refused or failed, else {@link WrongPasswordException}. Slots of unknown types are skipped.
 */
final class KeySlotUnlocker {
    private final List<KeySlot> slots = new ArrayList<>();
    private final Set<String> types = new LinkedHashSet<>();
    private final List<String> wrong = new ArrayList<>();
    private final List<String> unavailable = new ArrayList<>();
    private RepositoryException firstProblem;

    private KeySlotUnlocker() {
    }

    static byte[] unlock(ObjectStore store, KeyCredentials credentials) {
        KeySlotUnlocker u = new KeySlotUnlocker();
        u.load(store);
        byte[] master = null;
        if (credentials.keyFile() != null) {
            master = u.tryKeyFile(credentials.keyFile());
        }
        if (master == null && credentials.kms() != null) {
            master = u.tryKms(credentials.kms(), credentials.kmsKeyId());
        }
        if (master == null && credentials.passphrase() != null) {
            master = u.tryPassphrase(credentials.passphrase());
        }
        if (master != null) {
            return master;
        }
        throw u.failure(store, credentials);
    }

    private void load(ObjectStore store) {
        List<String> keys = new ArrayList<>();
        store.list(RepositoryLayout.KEYS, (ObjectInfo i) -> keys.add(i.key()));
        keys.sort(null);
        for (String key : keys) {
            String slotId = RepositoryLayout.nameOf(RepositoryLayout.KEYS, key);
            try {
                KeySlot slot = KeySlot.parse(slotId, store.get(key));
                slots.add(slot);
                types.add(slot.header().type());
            } catch (UnsupportedFormatException | ObjectNotFoundException e) {
                continue; // a slot of a type this build cannot open, or one removed meanwhile: others may do
            } catch (CorruptObjectException e) {
                noteProblem(e);
            }
        }
    }

    private List<KeySlot> ofType(String type) {
        return slots.stream().filter(s -> type.equals(s.header().type())).toList();
    }

    private byte[] tryKeyFile(KeyProvider keyFile) {
        List<KeySlot> mine = ofType(KeySlot.TYPE_KEYFILE).stream()
            .filter(s -> s.header().kekId().equals(keyFile.kekId())).toList();
        for (KeySlot slot : mine) {
            try {
                return slot.unwrapWith(keyFile);
            } catch (KeyProviderException | CorruptObjectException e) {
                wrong.add("key slot " + shortId(slot) + ": " + e.getMessage());
            }
        }
        if (mine.isEmpty()) {
            wrong.add("wrong key file: " + keyFile.describe() + " opens no key slot of the repository"
                + (types.contains(KeySlot.TYPE_KEYFILE) ? "" : " (it has no keyfile slot)"));
        }
        return null;
    }

    private byte[] tryKms(KmsAccess kms, String keyId) {
        List<KeySlot> kmsSlots = ofType(KeySlot.TYPE_KMS);
        if (kmsSlots.isEmpty()) {
            if (keyId != null) {
                wrong.add("the repository has no kms key slot");
            }
            return null;
        }
        String wanted = null;
        if (keyId != null) {
            try {
                wanted = kms.provider(keyId).kekId(); // an alias becomes the ARN that slots record
            } catch (KeyProviderException e) {
                unavailable.add(e.getMessage());
                return null;
            }
        }
        boolean matched = false;
        for (KeySlot slot : kmsSlots) {
            if (wanted != null && !wanted.equals(slot.header().kekId())) {
                continue;
            }
            matched = true;
            try {
                return slot.unwrapWith(kms.provider(slot.header().kekId()));
            } catch (KeyProviderException e) {
                unavailable.add("cannot open kms key slot " + shortId(slot) + ": " + e.getMessage());
            } catch (CorruptObjectException e) {
                noteProblem(e);
                wrong.add(e.getMessage());
            }
        }
        if (!matched) {
            wrong.add("KMS key " + wanted + " wraps no key slot of the repository (its kms slots use "
                + String.join(", ", kmsSlots.stream().map(s -> s.header().kekId()).distinct().toList()) + ")");
        }
        return null;
    }

    private byte[] tryPassphrase(char[] passphrase) {
        List<KeySlot> passphraseSlots = ofType(KeySlot.TYPE_PASSPHRASE);
        for (KeySlot slot : passphraseSlots) {
            byte[] master = slot.unwrapPassphrase(passphrase);
            if (master != null) {
                return master;
            }
        }
        if (!passphraseSlots.isEmpty()) {
            wrong.add("wrong password: no key slot of the repository opens with it");
        } else if (!slots.isEmpty() || firstProblem == null) {
            wrong.add("the repository has no passphrase key slot");
        }
        return null;
    }

    private RepositoryException failure(ObjectStore store, KeyCredentials credentials) {
        if (slots.isEmpty()) {
            return firstProblem != null ? firstProblem
                : new RepositoryException("the repository at " + store.describe() + " has no key slot that this Lifeboat can open");
        }
        if (wrong.isEmpty() && unavailable.isEmpty()) {
            return new WrongPasswordException("no credentials for the repository's key slots were given (it has "
                + String.join(", ", types) + " slots)");
        }
        List<String> reasons = new ArrayList<>(unavailable);
        reasons.addAll(wrong);
        if (!unavailable.isEmpty()) {
            List<String> untried = new ArrayList<>();
            if (credentials.passphrase() == null && types.contains(KeySlot.TYPE_PASSPHRASE)) {
                untried.add("a password");
            }
            if (credentials.keyFile() == null && types.contains(KeySlot.TYPE_KEYFILE)) {
                untried.add("its key file");
            }
            if (!untried.isEmpty()) {
                reasons.add("the repository also opens with " + String.join(" or ", untried) + " (recovery slot)");
            }
            return new KeyUnavailableException(String.join("; ", reasons));
        }
        return new WrongPasswordException(String.join("; ", reasons));
    }

    private void noteProblem(RepositoryException e) {
        if (firstProblem == null) {
            firstProblem = e;
        }
    }

    private static String shortId(KeySlot slot) {
        return slot.slotId().substring(0, 8);
    }
}
