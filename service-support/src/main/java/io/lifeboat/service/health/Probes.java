package io.lifeboat.service.health;

import java.io.IOException;

/** Text for a failed probe: the exception's kind and message, which name no credentials. */
final class Probes {
    private Probes() {
    }

    static String describe(IOException failure) {
        String message = failure.getMessage();
        String kind = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }
}
