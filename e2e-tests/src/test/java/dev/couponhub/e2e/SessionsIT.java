package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions end everywhere within 5 seconds, with the real user-service and two gateway instances: the suite's own
 * (port 8080) and a second one started here from the same jar on another port, as a second task behind a load
 * balancer would be. After a logout, the session's access token is refused with 401 {@code TOKEN_REVOKED} by both;
 * after a password change, every session of the user is; the user's other sessions survive a logout; an open event
 * stream of the session closes.
 */
@ExtendWith(CouponhubSuite.class)
class SessionsIT {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    private static SecondGateway secondGateway;
    private static ApiClient first;
    private static ApiClient second;
    private static int secondPort;

    @BeforeAll
    static void startSecondGateway() throws Exception {
        secondGateway = SecondGateway.start("second-gateway.log");
        first = new ApiClient(8080);
        second = secondGateway.client();
        secondPort = secondGateway.port();
    }

    @AfterAll
    static void stopSecondGateway() throws InterruptedException {
        if (secondGateway != null) {
            secondGateway.close();
        }
    }

    private record Session(String accessToken, String refreshToken) {
    }

    private static String signUp() {
        String email = "session-" + UUID.randomUUID() + "@example.com";
        ApiClient.Response signup = first.post("/api/v1/auth/signup",
                Map.of("email", email, "password", "password-1", "name", "Sessions", "role", "SHOPPER"));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        return email;
    }

    private static Session logIn(String email, String password) {
        ApiClient.Response login = first.post("/api/v1/auth/login", Map.of("email", email, "password", password));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        JsonNode tokens = login.json();
        return new Session(tokens.path("accessToken").asText(), tokens.path("refreshToken").asText());
    }

    private static ApiClient.Response me(ApiClient gateway, Session session) {
        return gateway.get("/api/v1/users/me", "Authorization", "Bearer " + session.accessToken());
    }

    /** Waits until both gateways refuse the session's token as revoked; fails after 5 s from {@code since}. */
    private static void refusedByBothWithin5Seconds(Session session, long since) throws InterruptedException {
        for (ApiClient gateway : List.of(first, second)) {
            ApiClient.Response answer = me(gateway, session);
            while (answer.status() != 401) {
                assertThat(Duration.ofNanos(System.nanoTime() - since)).as("refused within 5 s, last: %s", answer)
                        .isLessThan(WITHIN);
                Thread.sleep(100);
                answer = me(gateway, session);
            }
            assertThat(answer.json().path("code").asText()).as(answer.toString()).isEqualTo("TOKEN_REVOKED");
        }
    }

    @Test
    void logoutThenThatSessionsTokenRefusedOnBothGatewaysWithin5SecondsAndTheOtherSessionKept() throws Exception {
        String email = signUp();
        Session phone = logIn(email, "password-1");
        Session laptop = logIn(email, "password-1");
        for (ApiClient gateway : List.of(first, second)) {
            assertThat(me(gateway, phone).status()).isEqualTo(200);
            assertThat(me(gateway, laptop).status()).isEqualTo(200);
        }

        ApiClient.Response logout = first.post("/api/v1/auth/logout", Map.of("refreshToken", phone.refreshToken()),
                "Authorization", "Bearer " + phone.accessToken());
        assertThat(logout.status()).as(logout.toString()).isEqualTo(204);

        refusedByBothWithin5Seconds(phone, System.nanoTime());
        for (ApiClient gateway : List.of(first, second)) {
            assertThat(me(gateway, laptop).status()).isEqualTo(200);
        }
    }

    @Test
    void passwordChangeThenEverySessionRefusedOnBothGatewaysWithin5SecondsAndTheNewPasswordLogsIn() throws Exception {
        String email = signUp();
        Session one = logIn(email, "password-1");
        Session two = logIn(email, "password-1");

        ApiClient.Response change = second.put("/api/v1/users/me/password",
                Map.of("currentPassword", "password-1", "newPassword", "password-2"),
                "Authorization", "Bearer " + one.accessToken());
        assertThat(change.status()).as(change.toString()).isEqualTo(204);

        long changed = System.nanoTime();
        refusedByBothWithin5Seconds(one, changed);
        refusedByBothWithin5Seconds(two, changed);
        Session after = logIn(email, "password-2");
        for (ApiClient gateway : List.of(first, second)) {
            assertThat(me(gateway, after).status()).isEqualTo(200);
        }
    }

    @Test
    void logoutThenTheSessionsOpenStreamClosesWithin5Seconds() throws Exception {
        Session session = logIn(signUp(), "password-1");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + secondPort + "/api/v1/notifications/stream"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + session.accessToken())
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
            try {
                while (lines.readLine() != null) {
                    // events and heartbeats until the stream ends
                }
            } catch (IOException e) {
                // closed: ended as well
            }
        });
        Thread.sleep(500);
        assertThat(ended).as("stream open before the logout").isNotDone();

        first.post("/api/v1/auth/logout", Map.of("refreshToken", session.refreshToken()));

        ended.get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    }
}
