package io.lifeboat.service.health;

import java.util.Optional;

/**
 * A {@code host:port} pair as Kafka's {@code bootstrap.servers} writes it; IPv6 hosts in brackets
 * ({@code [::1]:9092}).
 *
 * @param host name or literal address, without brackets
 * @param port 1 to 65535
 */
record TcpAddress(String host, int port) {
    /** The address, or empty when {@code text} is not {@code host:port} with a port in range. */
    static Optional<TcpAddress> parse(String text) {
        String trimmed = text.strip();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            return Optional.empty();
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            return Optional.empty(); // an unbracketed IPv6 literal is ambiguous
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
        if (host.isEmpty() || port < 1 || port > 65_535) {
            return Optional.empty();
        }
        return Optional.of(new TcpAddress(host, port));
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
