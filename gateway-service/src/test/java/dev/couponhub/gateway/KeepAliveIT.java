package dev.couponhub.gateway;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.couponhub.gateway.testing.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's keep-alive connection keeps being read. A request that arrives while the previous one is still being
 * answered (pipelined here; a client sending the moment the previous answer's last byte arrived does the same) is
 * queued and answered in turn, and the next request on that connection is read and answered too, also when the
 * queued request was answered at once by the gateway itself (a 401, a 404, the web app's page): Reactor Netty alone
 * then stopped reading the connection (reactor-netty issue 4361; {@code KeepAliveReads}).
 */
class KeepAliveIT extends GatewayItSupport {

    private static final Duration ANSWER_TIME = Duration.ofSeconds(5);

    @ParameterizedTest
    @CsvSource({"/api/v1/users/me, 401", "/api/v1/unknown, 404", "/, 200", "/favicon.svg, 200"})
    void requestQueuedBehindASlowOneThenTheNextRequestOnTheConnectionIsStillRead(String queued, int status) {
        String token = KEY.token(newUserId(), "SHOPPER");
        String host = "Host: 127.0.0.1:" + port + "\r\n";
        try (RawHttp.Connection connection = RawHttp.connect(port)) {
            connection.write("GET /api/v1/users/held HTTP/1.1\r\n" + host + "Authorization: Bearer " + token
                    + "\r\n\r\n" + "GET " + queued + " HTTP/1.1\r\n" + host + "\r\n");
            assertThat(connection.read(ANSWER_TIME).status()).isEqualTo(200);
            assertThat(connection.read(ANSWER_TIME).status()).isEqualTo(status);

            connection.write("GET /favicon.svg HTTP/1.1\r\n" + host + "\r\n");
            RawHttp.Response next = connection.read(ANSWER_TIME);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).contains("<svg");
        }
    }
}
