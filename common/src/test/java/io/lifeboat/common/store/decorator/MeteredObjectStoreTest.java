package io.lifeboat.common.store.decorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.TransientStoreException;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class MeteredObjectStoreTest {
    private final InMemoryObjectStore backing = new InMemoryObjectStore();
    private final FaultInjectingObjectStore faulty = FaultInjectingObjectStore.builder(backing).build();
    private final InMemoryStoreMetrics metrics = new InMemoryStoreMetrics();
    private final FakeTime time = new FakeTime();
    // Every call "takes" 5 ms: the clock moves on each reading.
    private final MeteredObjectStore store = new MeteredObjectStore(faulty, metrics, () -> {
        time.advance(2_500_000);
        return time.nanoTime();
    });

    @Test
    void countsCallsBytesAndLatencyPerOperation() throws Exception {
        store.put("a", new byte[100]);
        store.put("b", new byte[50]);
        store.get("a");
        store.getRange("a", 10, 20);
        store.getRangeInto("a", 0, 30, new byte[30], 0);
        try (InputStream in = store.open("b")) {
            assertThat(in.readAllBytes()).hasSize(50);
        }
        store.stat("a");
        store.list("", i -> { });
        store.delete("a");

        assertThat(metrics.snapshot(StoreOperation.PUT)).isEqualTo(new InMemoryStoreMetrics.Totals(2, 0, 0, 150, 5_000_000, 2_500_000));
        assertThat(metrics.snapshot(StoreOperation.GET).bytes()).isEqualTo(100);
        assertThat(metrics.snapshot(StoreOperation.GET_RANGE).bytes()).isEqualTo(50);
        assertThat(metrics.snapshot(StoreOperation.OPEN).bytes()).isEqualTo(50);
        for (StoreOperation op : StoreOperation.values()) {
            assertThat(metrics.snapshot(op).calls()).as(op.name())
                .isEqualTo(op == StoreOperation.PUT || op == StoreOperation.GET_RANGE ? 2 : 1);
            assertThat(metrics.snapshot(op).errors()).as(op.name()).isZero();
        }
    }

    @Test
    void sortsFailuresIntoNotFoundAndErrors() {
        assertThatThrownBy(() -> store.get("missing")).isInstanceOf(ObjectNotFoundException.class);
        faulty.failNext(StoreOperation.GET, k -> true, 1, FaultInjectingObjectStore.Timing.BEFORE);
        backing.put("k", new byte[3]);
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(TransientStoreException.class);
        assertThat(store.stat("missing")).isEmpty();

        InMemoryStoreMetrics.Totals get = metrics.snapshot(StoreOperation.GET);
        assertThat(get.calls()).isEqualTo(2);
        assertThat(get.notFound()).isEqualTo(1);
        assertThat(get.errors()).isEqualTo(1);
        assertThat(get.bytes()).isZero();
        assertThat(metrics.snapshot(StoreOperation.STAT).errors()).isZero();
    }
}
