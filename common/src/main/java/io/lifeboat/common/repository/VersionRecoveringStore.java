package io.lifeboat.common.repository;

import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.decorator.ForwardingObjectStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A read view of a versioned store in which a delete marker or an overwrite hides nothing
 * ({@code lifeboat restore --from-versions}; docs/design/object-lock.md). Each key reads as the
 * newest version that authenticates:
 * <ul>
 *   <li>content-named objects (packs, index files, manifests, keyrings: the name is the SHA-256 of
 *       the content) as the newest version whose content matches its name, so an attacker's
 *       overwrite is passed over; a manifest chosen so is then signature-checked as usual;</li>
 *   <li>every other object (config, key slots, journal entries) as its newest version that is not a
 *       delete marker; those are authenticated by the repository layer when read.</li>
 * </ul>
 * A key whose only versions are delete markers is absent. The versions are listed once, when the
 * view is made; versions written later are not seen.
 *
 * <p>Writes pass through (a restore leaves its journal entry); deletes are refused: this view is
 * for reading a repository that may have been tampered with, never for maintenance.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class VersionRecoveringStore extends ForwardingObjectStore {
    private final TreeMap<String, List<ObjectVersion>> versions;
    private final Map<String, ObjectVersion> chosen = new ConcurrentHashMap<>();

    /**
     * Lists every version in the store.
     *
     * @throws RepositoryException if the store keeps no versions
     */
    public VersionRecoveringStore(ObjectStore delegate) {
        super(delegate);
        if (!delegate.capabilities().versioning()) {
            throw new RepositoryException(delegate.describe() + " keeps no object versions: there is nothing to read through"
                + " (--from-versions needs a bucket with versioning or Object Lock)");
        }
        TreeMap<String, List<ObjectVersion>> all = new TreeMap<>();
        delegate.listVersions("", v -> all.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v));
        this.versions = all;
    }

    /** True for keys whose name is the SHA-256 of their content. */
    static boolean contentNamed(String key) {
        return key.startsWith(RepositoryLayout.DATA) || key.startsWith(RepositoryLayout.INDEX)
            || key.startsWith(RepositoryLayout.SNAPSHOTS) || key.startsWith(RepositoryLayout.KEYRING);
    }

    private static String nameOf(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private List<ObjectVersion> dataVersions(String key) {
        List<ObjectVersion> out = new ArrayList<>();
        for (ObjectVersion v : versions.getOrDefault(key, List.of())) {
            if (!v.deleteMarker()) {
                out.add(v);
            }
        }
        return out;
    }

    /** The version a read of {@code key} uses, or empty if it has no data version. */
    public Optional<ObjectVersion> resolve(String key) {
        ObjectVersion known = chosen.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        List<ObjectVersion> candidates = dataVersions(key);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        ObjectVersion pick = candidates.get(0);
        if (candidates.size() > 1 && contentNamed(key)) {
            String name = nameOf(key);
            for (ObjectVersion v : candidates) {
                byte[] bytes;
                try {
                    bytes = delegate.getVersion(key, v.versionId());
                } catch (ObjectNotFoundException e) {
                    continue;
                }
                if (Sha256.hex(bytes).equals(name)) {
                    pick = v;
                    break;
                }
            }
        }
        chosen.put(key, pick);
        return Optional.of(pick);
    }

    private ObjectVersion require(String key) {
        return resolve(key).orElseThrow(() -> new ObjectNotFoundException(key));
    }

    @Override
    public byte[] get(String key) {
        return delegate.getVersion(key, require(key).versionId());
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return delegate.getVersionRange(key, require(key).versionId(), offset, length);
    }

    @Override
    public InputStream open(String key) {
        return new ByteArrayInputStream(get(key));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return resolve(key).map(v -> new ObjectInfo(key, v.size(), v.lastModified(), null));
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        List<ObjectInfo> out = new ArrayList<>();
        for (String key : versions.tailMap(prefix, true).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            resolve(key).ifPresent(v -> out.add(new ObjectInfo(key, v.size(), v.lastModified(), null)));
        }
        out.forEach(consumer);
    }

    @Override
    public void delete(String key) {
        throw new StoreException("refusing to delete " + key + ": reading through object versions is read-only");
    }

    @Override
    public void deleteVersion(String key, String versionId) {
        delete(key);
    }

    @Override
    public String describe() {
        return delegate.describe() + " (reading through versions)";
    }
}
