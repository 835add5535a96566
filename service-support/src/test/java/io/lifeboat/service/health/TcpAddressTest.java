package io.lifeboat.service.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpAddressTest {
    @Test
    void parsesHostAndPort() {
        assertThat(TcpAddress.parse(" 127.0.0.1:19092 ")).contains(new TcpAddress("127.0.0.1", 19092));
        assertThat(TcpAddress.parse("kafka-0.kafka:9092")).contains(new TcpAddress("kafka-0.kafka", 9092));
    }

    @Test
    void parsesBracketedIpv6AndPrintsItBack() {
        assertThat(TcpAddress.parse("[::1]:9092")).hasValueSatisfying(address -> {
            assertThat(address.host()).isEqualTo("::1");
            assertThat(address.port()).isEqualTo(9092);
            assertThat(address).hasToString("[::1]:9092");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "localhost:", ":9092", "localhost:0", "localhost:65536",
            "localhost:-1", "localhost:ninety", "::1:9092", "[]:9092", "localhost:99999999999"})
    void rejectsMalformed(String text) {
        assertThat(TcpAddress.parse(text)).isEmpty();
    }
}
