package io.lifeboat.service.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * UP when every listed server accepts a TCP connection within the timeout; used for Kafka's bootstrap
 * servers, where speaking the protocol would need the Kafka client in every service. Each server's
 * outcome is in the data. Stateless between calls, so safe to call from several threads; never throws.
 */
final class TcpConnectCheck implements HealthCheck {
    private final String name;
    private final List<String> servers;
    private final Duration timeout;

    TcpConnectCheck(String name, List<String> servers, Duration timeout) {
        this.name = name;
        this.servers = List.copyOf(servers);
        this.timeout = timeout;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(name).up();
        for (String server : servers) {
            Optional<TcpAddress> address = TcpAddress.parse(server);
            String outcome = address.map(this::connect).orElse("not host:port");
            response.withData(address.map(TcpAddress::toString).orElse(server.strip()), outcome);
            if (!outcome.equals("reachable")) {
                response.down();
            }
        }
        return response.build();
    }

    private String connect(TcpAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), Math.toIntExact(timeout.toMillis()));
            return "reachable";
        } catch (IOException unreachable) {
            return Probes.describe(unreachable);
        }
    }
}
