package io.lifeboat.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** A derivation made ahead goes only to a caller with exactly its inputs, once. */
@Isolated
class ScryptAheadTest {
    private static final byte[] PW = "secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SALT = "salt-salt-salt".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    @AfterEach
    void reset() {
        ScryptAhead.reset();
    }

    @Test
    void aMatchingCallerGetsTheSameKeyOnce() {
        ScryptAhead.derive(PW, SALT, 1024, 8, 1, 32);
        byte[] expected = Scrypt.derive(PW, SALT, 1024, 8, 1, 32);
        assertThat(ScryptAhead.take(PW, SALT, 1024, 8, 1, 32)).isEqualTo(expected);
        assertThat(ScryptAhead.take(PW, SALT, 1024, 8, 1, 32)).isNull();
    }

    @Test
    void anyOtherInputGetsNothing() {
        ScryptAhead.derive(PW, SALT, 1024, 8, 1, 32);
        assertThat(ScryptAhead.take("Secret".getBytes(StandardCharsets.UTF_8), SALT, 1024, 8, 1, 32)).isNull();
        assertThat(ScryptAhead.take(PW, "salt-salt-salT".getBytes(StandardCharsets.UTF_8), 1024, 8, 1, 32)).isNull();
        assertThat(ScryptAhead.take(PW, SALT, 2048, 8, 1, 32)).isNull();
        assertThat(ScryptAhead.take(PW, SALT, 1024, 4, 1, 32)).isNull();
        assertThat(ScryptAhead.take(PW, SALT, 1024, 8, 2, 32)).isNull();
        assertThat(ScryptAhead.take(PW, SALT, 1024, 8, 1, 16)).isNull();
        assertThat(ScryptAhead.pending()).isEqualTo(1);
    }

    @Test
    void theCallersArraysAreCopied() {
        byte[] pw = PW.clone();
        ScryptAhead.derive(pw, SALT, 1024, 8, 1, 32);
        pw[0] ^= 1; // the caller wipes or reuses its array
        assertThat(ScryptAhead.take(PW, SALT, 1024, 8, 1, 32)).isEqualTo(Scrypt.derive(PW, SALT, 1024, 8, 1, 32));
    }

    @Test
    void nothingIsDerivedAheadOnceACallerHasAsked() {
        assertThat(ScryptAhead.take(PW, SALT, 1024, 8, 1, 32)).isNull();
        ScryptAhead.derive(PW, SALT, 1024, 8, 1, 32);
        assertThat(ScryptAhead.pending()).isZero();
    }

    @Test
    void keepsABoundedNumber() {
        for (int i = 0; i < ScryptAhead.MAX_PENDING + 3; i++) {
            ScryptAhead.derive(new byte[] {(byte) i}, SALT, 16, 1, 1, 32);
        }
        assertThat(ScryptAhead.pending()).isEqualTo(ScryptAhead.MAX_PENDING);
    }

    @Test
    void aFailedDerivationLeavesTheCallerToDeriveItself() {
        ScryptAhead.derive(PW, SALT, 3, 8, 1, 32); // not a power of two: Scrypt refuses it
        assertThat(ScryptAhead.take(PW, SALT, 3, 8, 1, 32)).isNull();
    }
}
