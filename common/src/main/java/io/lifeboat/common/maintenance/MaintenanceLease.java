package io.lifeboat.common.maintenance;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.MaintenanceRecords.LeaseClaim;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.repository.UnsupportedFormatException;
import io.lifeboat.common.store.ObjectKind;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The exclusive lease of maintenance (prune, and later tier moves) on one repository, safe on
 * stores without conditional writes (docs/design/prune.md, "The lease").
 *
 * <p>Protocol: list the claims {@code locks/maintenance-<token>-<random>}; if one is active
 * (not released, not expired) fail at once naming it. Otherwise write a claim with token = one
 * above the highest token seen, wait the settle time, list again: among the active claims the one
 * with the lowest (token, key) wins; a loser deletes its claim and fails naming the winner. The
 * winner {@link #verify() re-checks} before every destructive step and {@link #renew() renews}
 * when half the lease has passed. A crashed holder's claim simply expires. Release keeps the claim
 * (marked released) so the fencing token keeps growing; the next acquisition deletes older
 * finished claims.
 *
 * <p>Backups never take the lease. Threading: one owner thread. Errors: {@link
 * MaintenanceLeaseException} with a one-line message; store failures propagate.
 */
public final class MaintenanceLease implements AutoCloseable {
    /** How long a thread waits; tests pass a no-op. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final PackRepository repo;
    private final ObjectStore store;
    private final String key;
    private final Duration duration;
    private LeaseClaim claim;
    private boolean closed;

    private MaintenanceLease(PackRepository repo, String key, LeaseClaim claim, Duration duration) {
        this.repo = repo;
        this.store = repo.store();
        this.key = key;
        this.claim = claim;
        this.duration = duration;
    }

    /**
     * Acquires the lease or fails.
     *
     * @param holder who runs maintenance, shown to anyone who is refused
     * @param duration how long the claim lasts without renewal
     * @param settle how long to wait between writing the claim and re-reading all claims; must
     *     exceed the time between another contender's listing and its write (seconds on S3)
     * @throws MaintenanceLeaseException if another run holds or wins the lease
     */
    public static MaintenanceLease acquire(PackRepository repo, String holder, Duration duration, Duration settle, Sleeper sleeper) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("lease duration must be positive");
        }
        ObjectStore store = repo.store();
        Instant now = repo.clock().instant();
        List<Claim> claims = readClaims(repo);
        long highest = claims.stream().mapToLong(Claim::token).max().orElse(0);
        for (Claim c : claims) {
            if (c.claim() != null && c.claim().activeAt(now)) {
                throw held(c.claim());
            }
        }
        long token = highest + 1;
        String key = RepositoryLayout.maintenanceClaim(token, HexFormat.of().formatHex(AesGcm.randomBytes(8)));
        LeaseClaim mine = new LeaseClaim(holder, token, now, now.plus(duration), false);
        store.put(key, repo.maintenanceRecords().encode(mine), PutOptions.of(ObjectKind.METADATA));
        try {
            sleeper.sleep(settle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            store.delete(key);
            throw new MaintenanceLeaseException("interrupted while acquiring the maintenance lease");
        }
        Instant after = repo.clock().instant();
        List<Claim> seen = readClaims(repo);
        Claim winner = winner(seen, after);
        for (Claim c : seen) {
            if (c.claim() != null && c.claim().released() && c.token() >= token && !c.key().equals(key)) {
                winner = c; // a contender with our token already ran and finished: ours would not be unique
            }
        }
        if (winner == null || !winner.key().equals(key)) {
            store.delete(key);
            if (winner == null) {
                throw new MaintenanceLeaseException("lost the maintenance lease while acquiring it (our claim vanished or expired); try again");
            }
            throw held(winner.claim());
        }
        for (Claim c : readClaims(repo)) {
            if (c.token() < token && (c.claim() == null || !c.claim().activeAt(after))) {
                store.delete(c.key()); // finished or expired claims below ours; ours keeps the token high
            }
        }
        return new MaintenanceLease(repo, key, mine, duration);
    }

    /** The fencing token: strictly higher than that of every earlier holder. */
    public long token() {
        return claim.token();
    }

    public String holder() {
        return claim.holder();
    }

    public Instant expires() {
        return claim.expires();
    }

    /**
     * Confirms this run still holds the lease (its claim exists, has not expired and no other
     * active claim ranks before it), renewing it when more than half of it has passed. Call before
     * every destructive step.
     *
     * @throws MaintenanceLeaseException if the lease was lost
     */
    public void verify() {
        Instant now = repo.clock().instant();
        if (closed || !claim.activeAt(now)) {
            throw new MaintenanceLeaseException("the maintenance lease (token " + claim.token() + ") expired at " + claim.expires()
                + " before the run finished; stopping before any further change");
        }
        Claim winner = winner(readClaims(repo), now);
        if (winner == null || !winner.key().equals(key)) {
            throw winner == null
                ? new MaintenanceLeaseException("the maintenance lease claim " + key + " disappeared; stopping before any further change")
                : new MaintenanceLeaseException("lost the maintenance lease to " + describe(winner.claim()) + "; stopping before any further change");
        }
        if (Duration.between(now, claim.expires()).compareTo(duration.dividedBy(2)) < 0) {
            renew();
        }
    }

    /** Extends the claim to a full duration from now. */
    public void renew() {
        Instant now = repo.clock().instant();
        LeaseClaim renewed = new LeaseClaim(claim.holder(), claim.token(), claim.acquired(), now.plus(duration), false);
        store.put(key, repo.maintenanceRecords().encode(renewed), PutOptions.of(ObjectKind.METADATA));
        claim = renewed;
    }

    /** Releases the lease: the claim stays, marked released, so tokens keep growing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LeaseClaim released = new LeaseClaim(claim.holder(), claim.token(), claim.acquired(), repo.clock().instant(), true);
        store.put(key, repo.maintenanceRecords().encode(released), PutOptions.of(ObjectKind.METADATA));
    }

    private record Claim(String key, long token, LeaseClaim claim) {
    }

    /** Every claim, with its parsed content or null if it does not verify (it then never excludes anyone). */
    private static List<Claim> readClaims(PackRepository repo) {
        List<String> keys = new ArrayList<>();
        repo.store().list(RepositoryLayout.MAINTENANCE_CLAIMS, i -> keys.add(i.key()));
        List<Claim> out = new ArrayList<>();
        for (String k : keys) {
            long token = RepositoryLayout.tokenOfClaim(k);
            if (token < 0) {
                continue;
            }
            LeaseClaim c;
            try {
                c = repo.maintenanceRecords().decodeClaim(repo.store().get(k), k);
            } catch (ObjectNotFoundException e) {
                continue;
            } catch (CorruptObjectException | UnsupportedFormatException e) {
                c = null;
            }
            out.add(new Claim(k, token, c));
        }
        return out;
    }

    private static Claim winner(List<Claim> claims, Instant now) {
        return claims.stream()
            .filter(c -> c.claim() != null && c.claim().activeAt(now))
            .min(Comparator.comparingLong(Claim::token).thenComparing(Claim::key))
            .orElse(null);
    }

    private static MaintenanceLeaseException held(LeaseClaim c) {
        return new MaintenanceLeaseException("another maintenance run holds the repository: " + describe(c)
            + "; try again after it finishes or its lease expires");
    }

    private static String describe(LeaseClaim c) {
        return c.holder() + " (token " + c.token() + ", lease expires " + c.expires() + ")";
    }
}
