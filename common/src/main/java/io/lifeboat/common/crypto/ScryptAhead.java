package io.lifeboat.common.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * scrypt derivations started before they are needed, so they run on another core while the process
 * does other start-up work (the CLI builds its command model meanwhile). {@link #take} hands a
 * result only to a caller that asks for exactly the same password, salt and parameters, and only
 * once; every other caller derives as usual, so a guess that was wrong costs CPU, never a
 * different key. At most {@value #MAX_PENDING} derivations are kept.
 *
 * <p>Threading: safe for concurrent use. {@link #derive} runs in the calling thread; {@link #take}
 * waits for a matching derivation that is still running rather than start its own.
 */
public final class ScryptAhead {
    static final int MAX_PENDING = 2;

    private record Pending(byte[] password, byte[] salt, int n, int r, int p, int dkLen,
            CompletableFuture<byte[]> result) {
        boolean matches(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
            return this.n == n && this.r == r && this.p == p && this.dkLen == dkLen
                && MessageDigest.isEqual(this.salt, salt) && MessageDigest.isEqual(this.password, password);
        }
    }

    private static final List<Pending> PENDING = new CopyOnWriteArrayList<>();
    /** Set by the first {@link #take}: from then on a derivation ahead would come too late. */
    private static boolean taking;

    private ScryptAhead() {
    }

    /** Derivations kept and not taken yet (tests, diagnostics). */
    public static int pending() {
        return PENDING.size();
    }

    /** Forgets every kept derivation and allows new ones (tests). */
    public static void reset() {
        synchronized (PENDING) {
            PENDING.clear();
            taking = false;
        }
    }

    /**
     * Derives now, in this thread, and keeps the result for one {@link #take} with the same inputs.
     * Does nothing when {@value #MAX_PENDING} derivations are already kept or a {@link #take} has
     * already been made (the caller derives itself by then). Never throws.
     */
    public static void derive(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
        Pending pending = new Pending(password.clone(), salt.clone(), n, r, p, dkLen, new CompletableFuture<>());
        synchronized (PENDING) {
            if (taking || PENDING.size() >= MAX_PENDING) {
                return;
            }
            PENDING.add(pending);
        }
        try {
            pending.result().complete(Scrypt.derive(pending.password(), pending.salt(), n, r, p, dkLen));
        } catch (RuntimeException | Error e) {
            pending.result().completeExceptionally(e);
        }
    }

    /**
     * The result of a derivation with exactly these inputs, once (waiting for it if it still runs),
     * or null when there is none or it failed: the caller then derives itself.
     */
    public static byte[] take(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
        Pending found = null;
        synchronized (PENDING) {
            taking = true;
            for (Pending q : PENDING) {
                if (q.matches(password, salt, n, r, p, dkLen)) {
                    found = q;
                    PENDING.remove(q);
                    break;
                }
            }
        }
        if (found == null) {
            return null;
        }
        Arrays.fill(found.password(), (byte) 0);
        try {
            byte[] key = found.result().join();
            byte[] copy = key.clone();
            Arrays.fill(key, (byte) 0);
            return copy;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
