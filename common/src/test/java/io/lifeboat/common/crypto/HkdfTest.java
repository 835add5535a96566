package io.lifeboat.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;

class HkdfTest {
    @Test
    void rfc5869TestCase3EmptySaltAndInfo() {
        byte[] ikm = HexFormat.of().parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        assertThat(HexFormat.of().formatHex(Hkdf.derive(ikm, "", 42))).isEqualTo(
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    @Test
    void matchesBouncyCastleOnRandomInputs() {
        Random random = new Random(5869);
        for (int i = 0; i < 50; i++) {
            byte[] ikm = new byte[random.nextInt(100)];
            random.nextBytes(ikm);
            String info = "lifeboat/test/" + random.nextInt(1000);
            int len = 1 + random.nextInt(200);
            HKDFBytesGenerator gen = new HKDFBytesGenerator(new SHA256Digest());
            gen.init(new HKDFParameters(ikm, null, info.getBytes(StandardCharsets.US_ASCII)));
            byte[] expected = new byte[len];
            gen.generateBytes(expected, 0, len);
            assertThat(Hkdf.derive(ikm, info, len)).isEqualTo(expected);
        }
    }
}
