package io.lifeboat.common.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.repository.MaintenanceRecords.LeaseClaim;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.RepositoryLayout;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MaintenanceLeaseTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final MaintenanceLease.Sleeper NO_WAIT = d -> { };

    private final MaintenanceFixture f = new MaintenanceFixture(16 * 1024);
    private final PackRepository repo = f.open("alice@host");

    @AfterEach
    void close() {
        repo.close();
    }

    private MaintenanceLease acquire(String holder) {
        return MaintenanceLease.acquire(repo, holder, HOUR, Duration.ZERO, NO_WAIT);
    }

    @Test
    void aHeldLeaseRefusesASecondRunNamingHolderAndExpiry() {
        try (MaintenanceLease first = acquire("alice@host")) {
            assertThat(first.token()).isEqualTo(1);
            assertThatThrownBy(() -> acquire("bob@host")).isInstanceOf(MaintenanceLeaseException.class)
                .hasMessage("another maintenance run holds the repository: alice@host (token 1, lease expires 2026-05-01T01:00:00Z);"
                    + " try again after it finishes or its lease expires");
        }
        assertThat(f.keys(RepositoryLayout.MAINTENANCE_CLAIMS)).hasSize(1);
    }

    @Test
    void tokensGrowAcrossReleasesAndOldClaimsAreCleanedUp() {
        for (long expected = 1; expected <= 4; expected++) {
            try (MaintenanceLease lease = acquire("alice@host")) {
                assertThat(lease.token()).isEqualTo(expected);
            }
            assertThat(f.keys(RepositoryLayout.MAINTENANCE_CLAIMS)).hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void aCrashedHoldersLeaseExpiresByItself() {
        acquire("crashed@host"); // never closed
        f.clock.advance(HOUR);
        try (MaintenanceLease next = acquire("bob@host")) {
            assertThat(next.token()).isEqualTo(2);
            assertThat(f.keys(RepositoryLayout.MAINTENANCE_CLAIMS)).as("the expired claim was removed").hasSize(1);
        }
    }

    @Test
    void verifyRenewsPastHalfTimeAndFailsOnceExpired() {
        MaintenanceLease lease = acquire("alice@host");
        f.clock.advance(Duration.ofMinutes(40));
        lease.verify();
        assertThat(lease.expires()).isEqualTo(f.clock.instant().plus(HOUR));
        f.clock.advance(Duration.ofMinutes(61));
        assertThatThrownBy(lease::verify).isInstanceOf(MaintenanceLeaseException.class).hasMessageContaining("expired");
    }

    @Test
    void verifyNoticesAClaimThatRanksFirst() {
        MaintenanceLease lease = acquire("alice@host");
        String rival = RepositoryLayout.maintenanceClaim(1, "0000000000000000");
        f.memory.put(rival, repo.maintenanceRecords().encode(new LeaseClaim("mallory@host", 1, f.clock.instant(), f.clock.instant().plus(HOUR), false)));
        assertThatThrownBy(lease::verify).isInstanceOf(MaintenanceLeaseException.class)
            .hasMessageContaining("lost the maintenance lease to mallory@host (token 1");
    }

    @Test
    void anUnverifiableClaimNeverBlocksButKeepsTokensAboveIt() {
        f.memory.put(RepositoryLayout.maintenanceClaim(5, "00000000000000aa"), "forged".getBytes());
        try (MaintenanceLease lease = acquire("alice@host")) {
            assertThat(lease.token()).isEqualTo(6);
        }
    }

    @Test
    void anUnconfirmedClaimExcludesOthersAndIsWithdrawnOnClose() {
        MaintenanceLease pending = MaintenanceLease.claim(repo, "alice@host", HOUR, Duration.ZERO, NO_WAIT);
        assertThatThrownBy(pending::verify).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> acquire("bob@host")).isInstanceOf(MaintenanceLeaseException.class)
            .hasMessageContaining("holds the repository: alice@host (token 1");
        pending.close();
        assertThat(f.keys(RepositoryLayout.MAINTENANCE_CLAIMS)).as("withdrawn, not released").isEmpty();
        try (MaintenanceLease next = acquire("bob@host")) {
            assertThat(next.token()).isEqualTo(1);
        }
    }

    @Test
    void confirmWaitsOnlyWhatIsLeftOfTheSettleTime() {
        java.util.List<Duration> waits = new java.util.ArrayList<>();
        MaintenanceLease lease = MaintenanceLease.claim(repo, "alice@host", HOUR, Duration.ofSeconds(30), waits::add);
        lease.confirm();
        assertThat(waits).singleElement().satisfies(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(30))
            .isGreaterThan(Duration.ofSeconds(29)));
        lease.verify();
        assertThatThrownBy(lease::confirm).isInstanceOf(IllegalStateException.class);
        lease.close();
    }

    @Test
    void aClaimWrittenTooLongAfterTheListingIsWithdrawnAndRetried() {
        java.util.concurrent.atomic.AtomicInteger slowPuts = new java.util.concurrent.atomic.AtomicInteger(1);
        f.store.beforePut(key -> {
            if (key.startsWith(RepositoryLayout.MAINTENANCE_CLAIMS) && slowPuts.getAndDecrement() > 0) {
                sleep(MaintenanceLease.MAX_CLAIM_GAP.plusMillis(100));
            }
        });
        try (MaintenanceLease lease = MaintenanceLease.acquire(repo, "alice@host", HOUR, Duration.ofSeconds(1), NO_WAIT)) {
            assertThat(lease.token()).isEqualTo(1);
            assertThat(f.keys(RepositoryLayout.MAINTENANCE_CLAIMS)).as("the slow claim was withdrawn").hasSize(1);
        }
    }

    @Test
    void aStoreAlwaysSlowerThanTheClaimGapFailsWithoutLeavingAClaim() {
        f.store.beforePut(key -> {
            if (key.startsWith(RepositoryLayout.MAINTENANCE_CLAIMS)) {
                sleep(MaintenanceLease.MAX_CLAIM_GAP.plusMillis(50));
            }
        });
        assertThatThrownBy(() -> MaintenanceLease.acquire(repo, "alice@host", HOUR, Duration.ofSeconds(1), NO_WAIT))
            .isInstanceOf(MaintenanceLeaseException.class).hasMessageContaining("ms between listing the maintenance claims and writing ours");
        assertThat(f.keys(RepositoryLayout.MAINTENANCE_CLAIMS)).isEmpty();
    }

    @Test
    void aSettleTimeNotAboveTheClaimGapIsRejected() {
        assertThatThrownBy(() -> MaintenanceLease.acquire(repo, "alice@host", HOUR, MaintenanceLease.MAX_CLAIM_GAP, NO_WAIT))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void claimKeysSortByTokenAndParseBack() {
        String key = RepositoryLayout.maintenanceClaim(42, "ab");
        assertThat(key).isEqualTo("locks/maintenance-0000000000000000042-ab");
        assertThat(RepositoryLayout.tokenOfClaim(key)).isEqualTo(42);
        assertThat(RepositoryLayout.maintenanceClaim(100, "00")).isGreaterThan(RepositoryLayout.maintenanceClaim(99, "ff"));
        assertThat(RepositoryLayout.tokenOfClaim("locks/maintenance-x")).isEqualTo(-1);
        assertThat(RepositoryLayout.tokenOfClaim("locks/maintenance-000000000000000004a-ab")).isEqualTo(-1);
        assertThat(RepositoryLayout.tokenOfClaim("locks/backup-00")).isEqualTo(-1);
    }
}
