package io.lifeboat.common.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The local host's name, without a DNS lookup when the environment already says it. */
final class HostInfo {
    private HostInfo() {
    }

    static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
