package io.lifeboat.common.repository;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.keys.KeySlot;
import io.lifeboat.common.keys.Keyring;
import io.lifeboat.common.keys.MasterKeys;
import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Creates and opens repositories in an {@link ObjectStore}: the entry point of the core.
 *
 * <p>Errors: {@link RepositoryException} "no Lifeboat repository at ..." when the store holds
 * none; {@link WrongPasswordException} when no key slot opens with the passphrase;
 * {@link CorruptObjectException} naming the object that fails to verify;
 * {@link UnsupportedFormatException} for a newer format or an unknown algorithm.
 */
public final class Repositories {
    private Repositories() {
    }

    /**
     * Creates a repository with one passphrase key slot. Writes keyring and key slot first and the
     * config last, so an interrupted init leaves no repository and may simply be repeated.
     *
     * @throws RepositoryException if the store already holds a repository
     */
    public static PackRepository init(ObjectStore store, char[] password, InitOptions options) {
        return init(store, password, options, OpenOptions.defaults());
    }

    public static PackRepository init(ObjectStore store, char[] password, InitOptions options, OpenOptions openOptions) {
        if (store.exists(RepositoryLayout.CONFIG)) {
            throw new RepositoryException("a Lifeboat repository already exists at " + store.describe());
        }
        if (password == null || password.length == 0) {
            throw new RepositoryException("a password is required to create a repository");
        }
        if (options.objectLock() != null && !store.capabilities().objectLock()) {
            throw new RepositoryException("object lock (" + options.objectLock().describe() + ") needs a store with S3 Object Lock; "
                + store.describe() + " has none: create the bucket with Object Lock enabled");
        }
        removeLeftoversOfAnInterruptedInit(store);
        byte[] master = MasterKeys.newMasterKey();
        try {
            MasterKeys keys = MasterKeys.derive(master);
            RepositoryConfig config = new RepositoryConfig(FormatVersion.CURRENT, HexFormat.of().formatHex(AesGcm.randomBytes(32)),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), options.chunker(), io.lifeboat.common.crypto.Algorithms.HMAC_SHA256,
                options.compression(), options.compressionLevel(), io.lifeboat.common.crypto.Algorithms.HKDF_SHA256,
                options.packSizeTarget(), options.objectLock());
            config.validate();
            options.scrypt().check("init options");

            ObjectLockKeeper lock = options.objectLock() == null ? null
                : new ObjectLockKeeper(store, options.objectLock(), openOptions.clock(), new MaintenanceRecords(keys));
            byte[] keyring = Keyring.seal(Keyring.newEpoch(1), keys);
            String keyringKey = RepositoryLayout.keyring(Sha256.hex(keyring));
            store.put(keyringKey, keyring, initOptions(lock, keyringKey));
            String slotId = HexFormat.of().formatHex(AesGcm.randomBytes(16));
            store.put(RepositoryLayout.keySlot(slotId), KeySlot.createPassphrase(slotId, master, password, options.scrypt()),
                initOptions(lock, RepositoryLayout.keySlot(slotId)));
            store.put(RepositoryLayout.CONFIG, config.seal(keys.metadataKey()), initOptions(lock, RepositoryLayout.CONFIG));
            return PackRepository.open(store, master, openOptions);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    private static PutOptions initOptions(ObjectLockKeeper lock, String key) {
        return lock == null ? PutOptions.DEFAULT : lock.options(key, io.lifeboat.common.store.ObjectKind.METADATA);
    }

    /**
     * With no config there is no repository, so key slots and keyrings can only be what an
     * interrupted init left; they would otherwise be tried (and fail) on every open.
     */
    private static void removeLeftoversOfAnInterruptedInit(ObjectStore store) {
        List<String> leftovers = new ArrayList<>();
        store.list(RepositoryLayout.KEYS, i -> leftovers.add(i.key()));
        store.list(RepositoryLayout.KEYRING, i -> leftovers.add(i.key()));
        for (String key : leftovers) {
            store.delete(key);
        }
    }

    /** Opens with the default {@link OpenOptions}. */
    public static PackRepository open(ObjectStore store, char[] password) {
        return open(store, password, OpenOptions.defaults());
    }

    public static PackRepository open(ObjectStore store, char[] password, OpenOptions options) {
        if (!store.exists(RepositoryLayout.CONFIG)) {
            throw new RepositoryException("no Lifeboat repository at " + store.describe());
        }
        byte[] master = unlock(store, password == null ? new char[0] : password);
        try {
            return PackRepository.open(store, master, options);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    /** The master key from the first passphrase slot the password opens. */
    static byte[] unlock(ObjectStore store, char[] password) {
        List<String> slotKeys = new ArrayList<>();
        store.list(RepositoryLayout.KEYS, (ObjectInfo i) -> slotKeys.add(i.key()));
        slotKeys.sort(null);
        RepositoryException firstProblem = null;
        int passphraseSlots = 0;
        for (String key : slotKeys) {
            String slotId = RepositoryLayout.nameOf(RepositoryLayout.KEYS, key);
            KeySlot slot;
            try {
                slot = KeySlot.parse(slotId, store.get(key));
            } catch (UnsupportedFormatException e) {
                continue; // a slot of a type this build cannot open (kms, keyfile): others may do
            } catch (CorruptObjectException e) {
                firstProblem = firstProblem == null ? e : firstProblem;
                continue;
            } catch (ObjectNotFoundException e) {
                continue;
            }
            if (!KeySlot.TYPE_PASSPHRASE.equals(slot.header().type())) {
                continue;
            }
            passphraseSlots++;
            byte[] master = slot.unwrapPassphrase(password);
            if (master != null) {
                return master;
            }
        }
        if (passphraseSlots == 0 && firstProblem != null) {
            throw firstProblem;
        }
        if (passphraseSlots == 0) {
            throw new RepositoryException("the repository at " + store.describe() + " has no passphrase key slot");
        }
        throw new WrongPasswordException("wrong password: no key slot of the repository opens with it");
    }
}
