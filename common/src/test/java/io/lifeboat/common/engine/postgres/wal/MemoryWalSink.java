package io.lifeboat.common.engine.postgres.wal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link WalSink} in memory, for tests; {@link #failNext} makes uploads throw. Thread-safe. */
final class MemoryWalSink implements WalSink {
    final Map<String, byte[]> segments = new TreeMap<>();
    final Map<String, byte[]> partials = new TreeMap<>();
    final List<StreamerStatus> statuses = new ArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();

    @Override
    public synchronized void putSegment(String fileName, byte[] data) {
        fail();
        segments.put(fileName, data.clone());
    }

    @Override
    public synchronized void putPartial(String segmentName, byte[] data, int validBytes) {
        fail();
        partials.put(segmentName, Arrays.copyOf(data, validBytes));
    }

    @Override
    public synchronized void writeStatus(StreamerStatus status) {
        statuses.add(status);
    }

    synchronized StreamerStatus lastStatus() {
        return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1);
    }

    private void fail() {
        if (failNext.get() > 0 && failNext.getAndDecrement() > 0) {
            throw new IllegalStateException("injected upload failure");
        }
    }
}
