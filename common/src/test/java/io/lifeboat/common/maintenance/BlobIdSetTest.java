package io.lifeboat.common.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.repository.BlobId;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlobIdSetTest {
    private static BlobId random(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return BlobId.of(b);
    }

    @Test
    void behavesLikeASetThroughGrowthAndClaimsEachIdOnce() {
        for (long seed = 0; seed < 5; seed++) {
            Random r = new Random(seed);
            BlobIdSet set = new BlobIdSet();
            Set<BlobId> model = new HashSet<>();
            for (int i = 0; i < 5000; i++) {
                BlobId id = random(r);
                assertThat(set.add(id)).isEqualTo(model.add(id));
                if (i % 3 == 0) {
                    assertThat(set.add(id)).isFalse();
                }
            }
            assertThat(set.size()).isEqualTo(model.size());
            int claimed = 0;
            for (BlobId id : model) {
                assertThat(set.contains(id)).isTrue();
                if (claimed % 2 == 0) {
                    assertThat(set.claim(BlobIdSet.keyOf(id))).isTrue();
                    assertThat(set.claim(BlobIdSet.keyOf(id))).as("claimed once").isFalse();
                }
                claimed++;
            }
            assertThat(set.unclaimed()).isEqualTo(model.size() / 2);
            assertThat(set.contains(random(new Random(seed + 100)))).isFalse();
            assertThat(set.claim(BlobIdSet.keyOf(random(new Random(seed + 100))))).as("absent ids are never claimed").isFalse();
        }
    }

    @Test
    void anIdWhosePrefixIsZeroIsStoredToo() {
        BlobIdSet set = new BlobIdSet();
        BlobId zero = BlobId.parse("0".repeat(16) + "1".repeat(48));
        assertThat(set.contains(zero)).isFalse();
        assertThat(set.add(zero)).isTrue();
        assertThat(set.contains(zero)).isTrue();
        assertThat(set.size()).isEqualTo(1);
    }
}
