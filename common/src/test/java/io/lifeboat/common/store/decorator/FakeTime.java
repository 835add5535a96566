package io.lifeboat.common.store.decorator;

import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when something sleeps on it: tests see every wait, and never wait. */
final class FakeTime implements Sleeper {
    private long now = 1_000_000_000L;
    final List<Long> sleeps = new ArrayList<>();

    synchronized long nanoTime() {
        return now;
    }

    synchronized void advance(long nanos) {
        now += nanos;
    }

    @Override
    public synchronized void sleep(long nanos) {
        sleeps.add(nanos);
        if (nanos > 0) {
            now += nanos;
        }
    }

    synchronized long totalSlept() {
        return sleeps.stream().mapToLong(Long::longValue).filter(n -> n > 0).sum();
    }
}
