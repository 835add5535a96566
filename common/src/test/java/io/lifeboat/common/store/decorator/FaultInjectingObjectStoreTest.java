package io.lifeboat.common.store.decorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.TransientStoreException;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectingObjectStoreTest {

    private static List<Integer> faultPattern(long seed) {
        InMemoryObjectStore backing = new InMemoryObjectStore();
        FaultInjectingObjectStore store = FaultInjectingObjectStore.builder(backing).seed(seed).failureRate(0.3).build();
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            try {
                store.put("k" + i, new byte[1]);
            } catch (TransientStoreException e) {
                failed.add(i);
            }
        }
        return failed;
    }

    @Test
    void theSameSeedGivesTheSameFaults() {
        assertThat(faultPattern(42)).isEqualTo(faultPattern(42)).isNotEqualTo(faultPattern(43));
    }

    @Test
    void theFailureRateIsRoughlyHonoured() {
        // 200 calls at 30%: a binomial with sd ~6.5; [30, 90] is far outside any plausible seed.
        assertThat(faultPattern(42).size()).isBetween(30, 90);
    }

    @Test
    void onlyTheChosenOperationsAndKeysFail() {
        InMemoryObjectStore backing = new InMemoryObjectStore();
        FaultInjectingObjectStore store = FaultInjectingObjectStore.builder(backing)
                .failureRate(1.0).operations(StoreOperation.GET).keys(k -> k.startsWith("data/")).build();
        store.put("data/a", new byte[1]);
        store.put("index/a", new byte[1]);
        assertThat(store.get("index/a")).hasSize(1);
        assertThat(store.stat("data/a")).isPresent();
        assertThatThrownBy(() -> store.get("data/a")).isInstanceOf(TransientStoreException.class)
                .hasMessageContaining("injected fault: get of data/a");
        assertThat(store.injectedFaults()).isEqualTo(1);
    }

    @Test
    void aFaultAfterTheWriteLeavesTheObjectWritten() {
        InMemoryObjectStore backing = new InMemoryObjectStore();
        FaultInjectingObjectStore store = FaultInjectingObjectStore.builder(backing)
                .failureRate(1.0).afterWriteFraction(1.0).operations(StoreOperation.PUT).build();
        assertThatThrownBy(() -> store.put("k", new byte[] {7})).isInstanceOf(TransientStoreException.class)
                .hasMessageContaining("lost after the write");
        assertThat(backing.get("k")).containsExactly(7);
    }

    @Test
    void aFaultBeforeTheWriteLeavesNothing() {
        InMemoryObjectStore backing = new InMemoryObjectStore();
        FaultInjectingObjectStore store = FaultInjectingObjectStore.builder(backing).build();
        store.failNext(StoreOperation.PUT, k -> k.equals("k"), 1, FaultInjectingObjectStore.Timing.BEFORE);
        store.put("other", new byte[1]);
        assertThatThrownBy(() -> store.put("k", new byte[1])).isInstanceOf(TransientStoreException.class);
        assertThat(backing.exists("other")).isTrue();
        assertThat(backing.exists("k")).isFalse();
        store.put("k", new byte[1]);
        assertThat(backing.exists("k")).isTrue();
    }

    @Test
    void scriptedAfterFaultsAreOnlyForWrites() {
        FaultInjectingObjectStore store = FaultInjectingObjectStore.builder(new InMemoryObjectStore()).build();
        assertThatThrownBy(() -> store.failNext(StoreOperation.GET, k -> true, 1, FaultInjectingObjectStore.Timing.AFTER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultInjectingObjectStore.builder(new InMemoryObjectStore()).failureRate(1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
