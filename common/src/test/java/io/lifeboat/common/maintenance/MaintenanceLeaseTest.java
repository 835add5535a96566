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
