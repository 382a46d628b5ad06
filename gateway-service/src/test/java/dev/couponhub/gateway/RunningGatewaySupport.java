package dev.couponhub.gateway;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway running on a random port, with a {@link WebTestClient} bound to it for each test. The properties
 * (and so the application context) are the subclass's: see {@link GatewayItSupport} for the one most ITs share.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class RunningGatewaySupport {

    WebTestClient client;

    @LocalServerPort
    int port;

    @BeforeEach
    void clientForTheRunningGateway() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }
}
