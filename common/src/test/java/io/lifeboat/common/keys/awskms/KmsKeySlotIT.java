package io.lifeboat.common.keys.awskms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.keys.KeyProviderException;
import io.lifeboat.common.keys.KeySlot;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.KeyUnavailableException;
import io.lifeboat.common.repository.OpenOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import io.lifeboat.testing.LocalInfra;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code kms} key slots against the development KMS through {@link AwsKmsAccess}: the ARN is
 * recorded when the key is named by alias, and a slot whose recorded KEK was swapped is refused by
 * KMS before its master key is even tried. Each test makes its own keys.
 */
class KmsKeySlotIT {
    private static final String SLOT = "0123456789abcdef0123456789abcdef";
    private final LocalInfra infra = LocalInfra.shared();
    private final List<String> keys = new ArrayList<>();
    private AwsKmsAccess kms;

    @BeforeEach
    void setUp() {
        kms = AwsKmsAccess.create(AwsKmsConfig.of(infra.kmsRegion(), "unused").withEndpoint(infra.kmsEndpoint())
            .withStaticCredentials(infra.kmsAccessKey(), infra.kmsSecretKey()));
    }

    @AfterEach
    void tearDown() {
        try (var admin = admin()) {
            for (String k : keys) {
                try {
                    admin.scheduleKeyDeletion(r -> r.keyId(k).pendingWindowInDays(7));
                } catch (RuntimeException e) {
                    // already scheduled
                }
            }
        }
        kms.close();
    }

    private KmsClient admin() {
        return KmsClient.builder()
            .endpointOverride(infra.kmsEndpoint())
            .region(Region.of(infra.kmsRegion()))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(infra.kmsAccessKey(), infra.kmsSecretKey())))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    }

    private String createKey(String alias) {
        try (var admin = admin()) {
            String arn = admin.createKey(r -> r.description("KmsKeySlotIT")).keyMetadata().arn();
            keys.add(arn);
            if (alias != null) {
                admin.createAlias(r -> r.aliasName(alias).targetKeyId(arn));
            }
            return arn;
        }
    }

    @Test
    void theSlotRecordsTheArnBehindAnAliasAndASwappedKekIsRefused() {
        String alias = "alias/it-slot-" + UUID.randomUUID();
        String a = createKey(alias);
        String b = createKey(null);
        byte[] master = AesGcm.randomBytes(32);
        byte[] slot = KeySlot.createWrapped(SLOT, master, kms.provider(alias));
        KeySlot parsed = KeySlot.parse(SLOT, slot);
        assertThat(parsed.header().kekId()).isEqualTo(a);
        assertThat(parsed.unwrapWith(kms.provider(a))).isEqualTo(master);

        // Same-length ARNs, so the swapped header still parses: KMS refuses the blob for key b.
        byte[] swapped = new String(slot, StandardCharsets.ISO_8859_1).replace(a, b).getBytes(StandardCharsets.ISO_8859_1);
        KeySlot forged = KeySlot.parse(SLOT, swapped);
        assertThat(forged.header().kekId()).isEqualTo(b);
        assertThatThrownBy(() -> forged.unwrapWith(kms.provider(b))).isInstanceOf(KeyProviderException.class)
            .hasMessageContaining(b);
    }

    @Test
    void aRepositoryOpensThroughTheRecordedKekAndReportsADisabledOneInOneLine() {
        String a = createKey(null);
        InMemoryObjectStore store = new InMemoryObjectStore();
        Repositories.init(store, KeyCredentials.ofPassphrase("pw".toCharArray()).withKms(kms, a), false,
            InitOptions.forTests(), OpenOptions.defaults()).close();
        try (PackRepository repo = Repositories.open(store, KeyCredentials.none().withKms(kms, null), OpenOptions.defaults())) {
            assertThat(repo.keySlots()).filteredOn(s -> "kms".equals(s.type())).singleElement()
                .satisfies(s -> assertThat(s.kekId()).isEqualTo(a));
        }
        try (var admin = admin()) {
            admin.disableKey(r -> r.keyId(a));
        }
        assertThatThrownBy(() -> Repositories.open(store, KeyCredentials.none().withKms(kms, null), OpenOptions.defaults()))
            .isInstanceOf(KeyUnavailableException.class)
            .hasMessageStartingWith("cannot open kms key slot ").hasMessageContaining("KMS key " + a + " is disabled")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
