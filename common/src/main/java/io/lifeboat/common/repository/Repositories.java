package io.lifeboat.common.repository;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.keys.KeyProvider;
import io.lifeboat.common.keys.KeyProviderException;
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
 * none; {@link WrongPasswordException} when no key slot opens with the credentials given;
 * {@link KeyUnavailableException} when a KMS refused or failed and nothing else opened;
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
        if (password == null || password.length == 0) {
            throw new RepositoryException("a password is required to create a repository");
        }
        return init(store, KeyCredentials.ofPassphrase(password), false, options, openOptions);
    }

    /**
     * Creates a repository with one key slot per credential: a {@code kms} slot when
     * {@code credentials} has a KMS and a {@link KeyCredentials#kmsKeyId()}, a {@code keyfile} slot for a
     * key file, a {@code passphrase} slot for a passphrase. The KMS slot is checked by unwrapping it
     * at once (GenerateDataKey and Decrypt may be allowed separately).
     *
     * @param allowKmsOnly create a repository whose only slot is in KMS; refused otherwise, because
     *     losing that key or the account would lose every backup
     * @throws KeyProviderException if the KMS or key file refuses
     */
    public static PackRepository init(ObjectStore store, KeyCredentials credentials, boolean allowKmsOnly, InitOptions options,
            OpenOptions openOptions) {
        boolean kms = credentials.kms() != null && credentials.kmsKeyId() != null;
        boolean offline = credentials.passphrase() != null || credentials.keyFile() != null;
        if (!kms && !offline) {
            throw new RepositoryException("a password, a key file or a KMS key is required to create a repository");
        }
        if (kms && !offline && !allowKmsOnly) {
            throw new RepositoryException("refusing to create a repository whose only key slot is in KMS: losing that KMS key "
                + "or the account would lose every backup; add a password or key file as a recovery slot");
        }
        if (store.exists(RepositoryLayout.CONFIG)) {
            throw new RepositoryException("a Lifeboat repository already exists at " + store.describe());
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
            if (kms) {
                writeWrappedSlot(store, master, credentials.kms().provider(credentials.kmsKeyId()), lock);
            }
            if (credentials.keyFile() != null) {
                writeWrappedSlot(store, master, credentials.keyFile(), lock);
            }
            if (credentials.passphrase() != null) {
                String slotId = newSlotId();
                store.put(RepositoryLayout.keySlot(slotId), KeySlot.createPassphrase(slotId, master, credentials.passphrase(), options.scrypt()),
                    initOptions(lock, RepositoryLayout.keySlot(slotId)));
            }
            store.put(RepositoryLayout.CONFIG, config.seal(keys.metadataKey()), initOptions(lock, RepositoryLayout.CONFIG));
            return PackRepository.open(store, master, openOptions);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    private static PutOptions initOptions(ObjectLockKeeper lock, String key) {
        return lock == null ? PutOptions.DEFAULT : lock.options(key, io.lifeboat.common.store.ObjectKind.METADATA);
    }

    static String newSlotId() {
        return HexFormat.of().formatHex(AesGcm.randomBytes(16));
    }

    /**
     * Writes a {@code kms} or {@code keyfile} slot and reads it back through the provider, so a
     * KEK that can wrap but not unwrap (a KMS policy allowing GenerateDataKey only) is found now
     * rather than at restore time.
     *
     * @return the new slot's id
     */
    static String writeWrappedSlot(ObjectStore store, byte[] master, KeyProvider provider) {
        return writeWrappedSlot(store, master, provider, null);
    }

    /** As above, written with the repository's Object Lock retention when {@code lock} is not null. */
    static String writeWrappedSlot(ObjectStore store, byte[] master, KeyProvider provider, ObjectLockKeeper lock) {
        String slotId = newSlotId();
        byte[] slot = KeySlot.createWrapped(slotId, master, provider);
        byte[] back = KeySlot.parse(slotId, slot).unwrapWith(provider);
        try {
            if (!java.security.MessageDigest.isEqual(back, master)) {
                throw new KeyProviderException(provider.describe() + " returned a different key on unwrap; refusing the slot");
            }
        } finally {
            Arrays.fill(back, (byte) 0);
        }
        store.put(RepositoryLayout.keySlot(slotId), slot, initOptions(lock, RepositoryLayout.keySlot(slotId)));
        return slotId;
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
        try (KeyCredentials c = KeyCredentials.ofPassphrase(password == null ? null : password.clone())) {
            return open(store, c, options);
        }
    }

    /**
     * Opens with whichever key slot the credentials open: key file slots first, then KMS slots
     * (each through the KEK its header records), then passphrase slots (scrypt is the slowest).
     */
    public static PackRepository open(ObjectStore store, KeyCredentials credentials, OpenOptions options) {
        if (!store.exists(RepositoryLayout.CONFIG)) {
            throw new RepositoryException("no Lifeboat repository at " + store.describe());
        }
        byte[] master = unlock(store, credentials);
        try {
            return PackRepository.open(store, master, options);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    /** The master key from the first passphrase slot the password opens. */
    static byte[] unlock(ObjectStore store, char[] password) {
        try (KeyCredentials c = KeyCredentials.ofPassphrase(password == null ? null : password.clone())) {
            return unlock(store, c);
        }
    }

    /** The master key from the first slot the credentials open; see {@link KeySlotUnlocker}. */
    static byte[] unlock(ObjectStore store, KeyCredentials credentials) {
        return KeySlotUnlocker.unlock(store, credentials);
    }
}
