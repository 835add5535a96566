package io.lifeboat.common.engine.postgres.physical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.repository.BlobId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BlobReadAheadTest {
    private static final String THREAD = "blob-read-ahead-test";

    private static BlobId id(int i) {
        byte[] b = new byte[BlobId.LENGTH];
        b[0] = (byte) (i >> 24);
        b[1] = (byte) (i >> 16);
        b[2] = (byte) (i >> 8);
        b[3] = (byte) i;
        return BlobId.of(b);
    }

    private static int number(BlobId id) {
        String h = id.hex();
        return Integer.parseUnsignedInt(h.substring(0, 8), 16);
    }

    private static List<BlobId> ids(int n) {
        List<BlobId> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(id(i));
        }
        return out;
    }

    /** Loads blob i as the 4 bytes of i, after a random short delay so loads finish out of order. */
    private static final Function<BlobId, byte[]> JITTERY = id -> {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int i = number(id);
        return new byte[] {(byte) (i >> 24), (byte) (i >> 16), (byte) (i >> 8), (byte) i};
    };

    private static List<Integer> drain(BlobReadAhead r) {
        List<Integer> got = new ArrayList<>();
        for (byte[] b = r.next(); b != null; b = r.next()) {
            got.add(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        }
        return got;
    }

    /**
     * Loader threads still alive, after giving them a moment: the pool counts as terminated when its
     * workers have left their loop, a few instructions before their threads end.
     */
    private static long liveLoaders() {
        long live = 0;
        for (int i = 0; i < 200; i++) {
            live = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(THREAD) && t.isAlive()).count();
            if (live == 0) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return live;
    }

    @Test
    void handsOutEveryBlobInListOrder() {
        try (BlobReadAhead r = new BlobReadAhead(ids(200), JITTERY, 4, 3, THREAD)) {
            assertThat(drain(r)).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).boxed().toList());
            assertThat(r.next()).isNull();
        }
        assertThat(liveLoaders()).isZero();
    }

    @Test
    void emptyListAndOneBlob() {
        try (BlobReadAhead r = new BlobReadAhead(List.of(), JITTERY, 4, 3, THREAD)) {
            assertThat(r.next()).isNull();
        }
        try (BlobReadAhead r = new BlobReadAhead(ids(1), JITTERY, 4, 3, THREAD)) {
            assertThat(drain(r)).containsExactly(0);
        }
        assertThat(liveLoaders()).isZero();
    }

    @Test
    void neverHoldsMoreThanTheWindow() {
        AtomicInteger started = new AtomicInteger();
        Function<BlobId, byte[]> counting = id -> {
            started.incrementAndGet();
            return JITTERY.apply(id);
        };
        try (BlobReadAhead r = new BlobReadAhead(ids(50), counting, 3, 2, THREAD)) {
            for (int taken = 0; taken < 50; taken++) {
                assertThat(started.get()).isLessThanOrEqualTo(taken + 3);
                assertThat(r.next()).isNotNull();
            }
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void aFailureSurfacesAtItsBlobAsThrown() {
        Function<BlobId, byte[]> failing = id -> {
            if (number(id) == 5) {
                throw new IllegalStateException("blob 5 failed its HMAC check");
            }
            return JITTERY.apply(id);
        };
        try (BlobReadAhead r = new BlobReadAhead(ids(20), failing, 4, 3, THREAD)) {
            for (int i = 0; i < 5; i++) {
                assertThat(r.next()).isNotNull();
            }
            assertThatThrownBy(r::next).isInstanceOf(IllegalStateException.class).hasMessage("blob 5 failed its HMAC check");
        }
        assertThat(liveLoaders()).isZero();
        Function<BlobId, byte[]> io = id -> {
            throw new UncheckedIOException(new IOException("pack gone"));
        };
        try (BlobReadAhead r = new BlobReadAhead(ids(3), io, 4, 3, THREAD)) {
            assertThatThrownBy(r::next).isInstanceOf(UncheckedIOException.class).hasMessageContaining("pack gone");
        }
        assertThat(liveLoaders()).isZero();
    }

    @Test
    void earlyCloseCancelsPendingLoadsAndEndsTheThreads() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        ConcurrentHashMap<Integer, Boolean> interrupted = new ConcurrentHashMap<>();
        Function<BlobId, byte[]> slow = id -> {
            if (number(id) == 0) {
                return new byte[] {0, 0, 0, 0};
            }
            blocked.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.put(number(id), true);
                Thread.currentThread().interrupt();
            }
            return new byte[0];
        };
        BlobReadAhead r = new BlobReadAhead(ids(10), slow, 4, 2, THREAD);
        assertThat(r.next()).containsExactly(0, 0, 0, 0);
        assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        r.close();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(5);
        assertThat(interrupted).isNotEmpty();
        assertThat(liveLoaders()).isZero();
        assertThatThrownBy(r::next).isInstanceOf(IllegalStateException.class);
        r.close(); // twice is harmless
    }

    @Test
    void aCheckedFailureBecomesAnEngineException() {
        Function<BlobId, byte[]> sneaky = id -> {
            throw BlobReadAheadTest.<RuntimeException>sneak(new IOException("checked"));
        };
        try (BlobReadAhead r = new BlobReadAhead(ids(2), sneaky, 2, 1, THREAD)) {
            assertThatThrownBy(r::next).isInstanceOf(EngineException.class).hasMessage("checked");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneak(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void rejectsAnEmptyWindow() {
        assertThatThrownBy(() -> new BlobReadAhead(ids(1), JITTERY, 0, 1, THREAD)).isInstanceOf(IllegalArgumentException.class);
    }
}
