package io.lifeboat.common.store.decorator;

import java.time.Duration;

/**
 * Waits. Injected into decorators that back off or throttle, so tests pass a fake that advances a
 * fake clock instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps on the calling thread. */
    Sleeper SYSTEM = nanos -> Thread.sleep(Duration.ofNanos(nanos));

    /** Waits {@code nanos} nanoseconds (nothing if not positive). */
    void sleep(long nanos) throws InterruptedException;
}
