package io.lifeboat.common.store.decorator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ThrottledObjectStoreTest {
    private static final long SECOND = 1_000_000_000L;
    private final InMemoryObjectStore backing = new InMemoryObjectStore();
    private final FakeTime time = new FakeTime();

    @Test
    void uploadsAreLimitedToTheConfiguredKibPerSecond() {
        // 100 KiB/s, burst one second's worth: 10 puts of 100 KiB take 9 s after the burst.
        ObjectStore store = ThrottledObjectStore.ofKibPerSecond(backing, 100, 0, time::nanoTime, time);
        for (int i = 0; i < 10; i++) {
            store.put("p" + i, new byte[100 * 1024]);
        }
        assertThat(time.totalSlept()).isEqualTo(9 * SECOND);
        assertThat(backing.stat("p9")).isPresent();

        store.get("p0");
        assertThat(time.totalSlept()).as("downloads are unlimited").isEqualTo(9 * SECOND);
    }

    @Test
    void downloadsPayForWholeGetsRangesAndStreams() throws Exception {
        backing.put("k", new byte[200 * 1024]);
        ObjectStore store = ThrottledObjectStore.ofKibPerSecond(backing, 0, 100, time::nanoTime, time);
        store.get("k");
        assertThat(time.totalSlept()).isEqualTo(SECOND);
        store.getRange("k", 0, 50 * 1024);
        assertThat(time.totalSlept()).isEqualTo(SECOND + SECOND / 2);
        try (InputStream in = store.open("k")) {
            in.readAllBytes();
        }
        assertThat(time.totalSlept()).isEqualTo(SECOND + SECOND / 2 + 2 * SECOND);
        store.put("up", new byte[1024 * 1024]);
        assertThat(time.totalSlept()).as("uploads are unlimited").isEqualTo(SECOND + SECOND / 2 + 2 * SECOND);
        store.getRangeInto("k", 0, 50 * 1024, new byte[50 * 1024], 0);
        assertThat(time.totalSlept()).isEqualTo(SECOND + SECOND / 2 + 2 * SECOND + SECOND / 2);
    }

    @Test
    void noLimitsMeansNoDecorator() {
        assertThat(ThrottledObjectStore.ofKibPerSecond(backing, 0, 0)).isSameAs(backing);
        assertThat(ThrottledObjectStore.ofKibPerSecond(backing, 512, 0).describe()).contains("up 512 KiB/s");
    }
}
