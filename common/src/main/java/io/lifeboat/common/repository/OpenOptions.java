package io.lifeboat.common.repository;

import java.net.InetAddress;

/**
 * How {@link Repositories#open} opens a repository.
 *
 * @param actor who acts, recorded in journal entries; defaults to {@code user@host}
 * @param uploadParallelism packs uploaded at once; 3 by default
 * @param packsInFlight finished packs held in memory (being sealed, queued or uploading) before
 *     {@link Repository#saveBlob} blocks; with the pack being filled this bounds memory to about
 *     this many plus one packs; 4 by default
 */
public record OpenOptions(String actor, int uploadParallelism, int packsInFlight) {
    public OpenOptions {
        if (actor == null || actor.isBlank()) {
            actor = defaultActor();
        }
        if (uploadParallelism < 1 || packsInFlight < 1) {
            throw new IllegalArgumentException("upload parallelism and packs in flight must be at least 1");
        }
    }

    public static OpenOptions defaults() {
        return new OpenOptions(null, 3, 4);
    }

    public OpenOptions withActor(String newActor) {
        return new OpenOptions(newActor, uploadParallelism, packsInFlight);
    }

    public OpenOptions withUploadParallelism(int n) {
        return new OpenOptions(actor, n, Math.max(packsInFlight, n));
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
