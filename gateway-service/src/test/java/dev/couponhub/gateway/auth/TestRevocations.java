package dev.couponhub.gateway.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import org.springframework.web.reactive.function.client.WebClient;

import dev.couponhub.gateway.config.ServicesProperties;
import dev.couponhub.gateway.config.SessionProperties;
import dev.couponhub.gateway.testing.TestBackend;

/** {@link SessionRevocations} reading a {@link TestBackend}'s list; tests call {@link SessionRevocations#poll()}. */
final class TestRevocations {

    private TestRevocations() {
    }

    static SessionRevocations of(TestBackend backend, Clock clock) {
        URI uri = backend.uri();
        return new SessionRevocations(WebClient.builder(), new ServicesProperties(uri, uri, uri, uri, uri, uri, false),
                new SessionProperties("/internal/v1/session-revocations", Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofMinutes(20)), clock);
    }
}
