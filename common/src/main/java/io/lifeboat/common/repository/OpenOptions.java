package io.lifeboat.common.repository;

import java.net.InetAddress;
import java.time.Clock;

/**
 * How {@link Repositories#open} opens a repository.
 *
 * @param actor who acts, recorded in journal entries; defaults to {@code user@host}
 * @param uploadParallelism packs uploaded at once; 3 by default
 * @param packsInFlight finished packs held in memory (being sealed, queued or uploading) before
 *     {@link Repository#saveBlob} blocks; with the pack being filled this bounds memory to about
 *     this many plus one packs; 4 by default
 * @param clock the time of manifests, journal entries and backup-session markers; the system UTC
 *     clock by default (tests inject one to simulate prune grace periods without sleeping)
 */
public record OpenOptions(String actor, int uploadParallelism, int packsInFlight, Clock clock) {
    public OpenOptions {
        if (actor == null || actor.isBlank()) {
            actor = defaultActor();
        }
        if (clock == null) {
            clock = Clock.systemUTC();
        }
        if (uploadParallelism < 1 || packsInFlight < 1) {
            throw new IllegalArgumentException("upload parallelism and packs in flight must be at least 1");
        }
    }

    public OpenOptions(String actor, int uploadParallelism, int packsInFlight) {
        this(actor, uploadParallelism, packsInFlight, null);
    }

    public static OpenOptions defaults() {
        return new OpenOptions(null, 3, 4, null);
    }

    public OpenOptions withActor(String newActor) {
        return new OpenOptions(newActor, uploadParallelism, packsInFlight, clock);
    }

    public OpenOptions withUploadParallelism(int n) {
        return new OpenOptions(actor, n, Math.max(packsInFlight, n), clock);
    }

    public OpenOptions withClock(Clock newClock) {
        return new OpenOptions(actor, uploadParallelism, packsInFlight, newClock);
    }

    static String defaultActor() {
        String user = System.getProperty("user.name", "unknown");
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "localhost";
            }
        }
        return user + "@" + host;
    }
}
