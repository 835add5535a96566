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
import java.util.concurrent.ThreadLocalRandom;

/**
 * The exclusive lease of maintenance (prune, and later tier moves) on one repository, safe on
 * stores without conditional writes (docs/design/prune.md, "The lease").
 *
 * <p>Protocol: list the claims {@code locks/maintenance-<token>-<random>}; if one is active
 * (not released, not expired) fail at once naming it. Otherwise write a claim with token = one
 * above the highest token seen. A contender whose list-to-write gap (from starting the listing to
 * the write returning) exceeded {@link #MAX_CLAIM_GAP} withdraws its claim and tries again, so no
 * claim ever lands later than that after a listing that missed another. Then wait the settle time
 * (longer than that gap) and list again: among the active claims the one with the lowest
 * (token, key) wins; a loser deletes its claim and fails naming the winner. The winner {@link
 * #verify() re-checks} before every destructive step and {@link #renew() renews} when half the
 * lease has passed. A crashed holder's claim simply expires. Release keeps the claim (marked
 * released) so the fencing token keeps growing; the next acquisition deletes older finished
 * claims.
 *
 * <p>{@link #claim} and {@link #confirm} split acquisition so the settle wait can overlap
 * read-only work (prune walks the snapshots meanwhile); nothing destructive may happen before
 * {@link #confirm} returns.
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

    /**
     * The longest a contender may take from starting to list the claims to its claim write
     * returning; a slower one withdraws its claim and tries again. A non-zero settle time must
     * exceed it: that is what makes a listing after the settle wait see every contender that
     * missed our claim.
     */
    public static final Duration MAX_CLAIM_GAP = Duration.ofMillis(500);
    /** Claim writes that exceed {@link #MAX_CLAIM_GAP} before acquisition gives up. */
    static final int CLAIM_ATTEMPTS = 3;

    private enum State { PENDING, HELD, LOST, CLOSED }

    private final PackRepository repo;
    private final ObjectStore store;
    private final String key;
    private final Duration duration;
    private final Duration settle;
    private final Sleeper sleeper;
    /** {@link System#nanoTime()} when the claim write returned. */
    private final long claimWritten;
    private LeaseClaim claim;
    private State state = State.PENDING;

    private MaintenanceLease(PackRepository repo, String key, LeaseClaim claim, Duration duration, Duration settle, Sleeper sleeper,
            long claimWritten) {
        this.repo = repo;
        this.store = repo.store();
        this.key = key;
        this.claim = claim;
        this.duration = duration;
        this.settle = settle;
        this.sleeper = sleeper;
        this.claimWritten = claimWritten;
    }

    /**
     * Acquires the lease or fails: {@link #claim} then {@link #confirm}.
     *
     * @param holder who runs maintenance, shown to anyone who is refused
     * @param duration how long the claim lasts without renewal
     * @param settle how long to wait between writing the claim and re-reading all claims: zero
     *     (one process, tests) or longer than {@link #MAX_CLAIM_GAP}
     * @throws MaintenanceLeaseException if another run holds or wins the lease
     */
    public static MaintenanceLease acquire(PackRepository repo, String holder, Duration duration, Duration settle, Sleeper sleeper) {
        MaintenanceLease lease = claim(repo, holder, duration, settle, sleeper);
        lease.confirm();
        return lease;
    }

    /**
     * Writes this run's claim, failing at once if an active claim exists. The lease is not held
     * until {@link #confirm} returns; until then only reads are allowed. {@link #close} withdraws
     * an unconfirmed claim.
     *
     * @throws MaintenanceLeaseException if another run holds the lease, or the store was slower
     *     than {@link #MAX_CLAIM_GAP} between listing and writing {@value #CLAIM_ATTEMPTS} times
     */
    public static MaintenanceLease claim(PackRepository repo, String holder, Duration duration, Duration settle, Sleeper sleeper) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("lease duration must be positive");
        }
        if (settle.isNegative() || (!settle.isZero() && settle.compareTo(MAX_CLAIM_GAP) <= 0)) {
            throw new IllegalArgumentException("the lease settle time must be zero (a single process) or longer than "
                + MAX_CLAIM_GAP.toMillis() + " ms");
        }
        ObjectStore store = repo.store();
        long slowest = 0;
        for (int attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
            long listed = System.nanoTime();
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
            long written = System.nanoTime();
            if (settle.isZero() || written - listed <= MAX_CLAIM_GAP.toNanos()) {
                return new MaintenanceLease(repo, key, mine, duration, settle, sleeper, written);
            }
            // A contender that listed before this claim was visible may already have settled and
            // won without seeing it: withdraw it and try again.
            store.delete(key);
            slowest = Math.max(slowest, written - listed);
            try {
                sleeper.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(MAX_CLAIM_GAP.toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MaintenanceLeaseException("interrupted while acquiring the maintenance lease");
            }
        }
        throw new MaintenanceLeaseException("the store took " + Duration.ofNanos(slowest).toMillis() + " ms between listing the maintenance"
            + " claims and writing ours, more than the " + MAX_CLAIM_GAP.toMillis() + " ms the lease protocol allows, "
            + CLAIM_ATTEMPTS + " times; try again when the store answers faster");
    }

    /**
     * Waits out what is left of the settle time since the claim was written, then lists the
     * claims again and holds the lease if this claim ranks first; otherwise deletes it and fails.
     *
     * @throws MaintenanceLeaseException if another run wins the lease
     */
    public void confirm() {
        if (state != State.PENDING) {
            throw new IllegalStateException("the maintenance lease claim was already confirmed or withdrawn");
        }
        long left = settle.toNanos() - (System.nanoTime() - claimWritten);
        if (left > 0) {
            try {
                sleeper.sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                withdraw();
                throw new MaintenanceLeaseException("interrupted while acquiring the maintenance lease");
            }
        }
        long token = claim.token();
        Instant after = repo.clock().instant();
        List<Claim> seen = readClaims(repo);
        Claim winner = winner(seen, after);
        for (Claim c : seen) {
            if (c.claim() != null && c.claim().released() && c.token() >= token && !c.key().equals(key)) {
                winner = c; // a contender with our token already ran and finished: ours would not be unique
            }
        }
        if (winner == null || !winner.key().equals(key)) {
            withdraw();
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
        state = State.HELD;
    }

    private void withdraw() {
        state = State.LOST;
        store.delete(key);
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
        if (state == State.PENDING) {
            throw new IllegalStateException("the maintenance lease is not confirmed yet");
        }
        Instant now = repo.clock().instant();
        if (state != State.HELD || !claim.activeAt(now)) {
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

    /**
     * Releases the lease: the claim stays, marked released, so tokens keep growing. An unconfirmed
     * claim is withdrawn (deleted), as a loser's is.
     */
    @Override
    public void close() {
        if (state == State.PENDING) {
            withdraw();
        }
        if (state != State.HELD) {
            return;
        }
        state = State.CLOSED;
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
