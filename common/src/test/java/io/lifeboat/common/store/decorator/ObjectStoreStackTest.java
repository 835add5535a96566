package io.lifeboat.common.store.decorator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ObjectStoreStackTest {

    @Test
    void metricsCountOneCallPerCallerCallWhileRetriesHappenBelow() {
        InMemoryObjectStore memory = new InMemoryObjectStore();
        FaultInjectingObjectStore faulty = FaultInjectingObjectStore.builder(memory).build();
        faulty.failNext(StoreOperation.PUT, k -> true, 2, FaultInjectingObjectStore.Timing.BEFORE);
        InMemoryStoreMetrics metrics = new InMemoryStoreMetrics();
        ObjectStore store = ObjectStoreStack.standard(faulty,
                new RetryPolicy(5, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)), metrics, 0, 0);

        store.put("k", new byte[10]);

        assertThat(faulty.calls()).isEqualTo(3);
        assertThat(metrics.snapshot(StoreOperation.PUT)).satisfies(t -> {
            assertThat(t.calls()).isEqualTo(1);
            assertThat(t.errors()).isZero();
            assertThat(t.bytes()).isEqualTo(10);
        });
        assertThat(store.describe()).contains("retrying").contains("fault-injecting");
    }
}
