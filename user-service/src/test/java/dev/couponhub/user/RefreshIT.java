package dev.couponhub.user;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RefreshIT extends UserServiceItSupport {

    private static final String REFRESH = "/api/v1/auth/refresh";
    private static final String LOGOUT = "/api/v1/auth/logout";

    @Autowired
    DataSource dataSource;

    private String newSession() {
        String email = uniqueEmail("refresh");
        signUpShopper(email);
        return loggedIn(email, PASSWORD).get("refreshToken").asText();
    }

    private JsonNode refreshed(String refreshToken) {
        ApiClient.Response response = refresh(refreshToken);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    @Test
    void refreshThenNewTokensAndTheOldOneStopsWorking() {
        String first = newSession();

        JsonNode tokens = refreshed(first);

        assertThat(tokens.get("refreshToken").asText()).isNotEqualTo(first);
        assertThat(tokens.get("accessToken").asText()).isNotBlank();
        assertThat(tokens.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expiresIn").asLong()).isEqualTo(900);
        assertProblem(refresh(first), 401, "INVALID_REFRESH_TOKEN", REFRESH);
    }

    @Test
    void refreshRepeatedlyThenEachNewTokenWorksOnce() {
        String token = newSession();
        for (int i = 0; i < 3; i++) {
            token = refreshed(token).get("refreshToken").asText();
        }
        assertThat(refresh(token).status()).isEqualTo(200);
    }

    @Test
    void refreshThenOnlyTheHashIsStored() {
        String token = newSession();

        Integer byHash = jdbc.queryForObject("select count(*) from refresh_tokens where token_hash = ?",
                Integer.class, sha256Hex(token));
        Integer byValue = jdbc.queryForObject("select count(*) from refresh_tokens where token_hash = ?",
                Integer.class, token);

        assertThat(byHash).isEqualTo(1);
        assertThat(byValue).isZero();
    }

    @Test
    void refreshWithRotatedTokenThenWholeFamilyRevokedIncludingTheNewest() {
        String first = newSession();
        String second = refreshed(first).get("refreshToken").asText();
        String third = refreshed(second).get("refreshToken").asText();

        assertProblem(refresh(first), 401, "INVALID_REFRESH_TOKEN", REFRESH);

        assertProblem(refresh(third), 401, "INVALID_REFRESH_TOKEN", REFRESH);
        String family = jdbc.queryForObject("select family_id from refresh_tokens where token_hash = ?", String.class,
                sha256Hex(first));
        assertThat(jdbc.queryForObject("select count(*) from refresh_tokens where family_id = ? and revoked_at is null",
                Integer.class, family)).isZero();
    }

    @Test
    void reuseInOneSessionThenOtherSessionsOfTheUserStillWork() {
        String email = uniqueEmail("two-sessions");
        signUpShopper(email);
        String sessionA = loggedIn(email, PASSWORD).get("refreshToken").asText();
        String sessionB = loggedIn(email, PASSWORD).get("refreshToken").asText();
        refreshed(sessionA);

        assertProblem(refresh(sessionA), 401, "INVALID_REFRESH_TOKEN", REFRESH);

        assertThat(refresh(sessionB).status()).isEqualTo(200);
    }

    @Test
    void refreshSameTokenConcurrentlyThenExactlyOneSucceeds() throws Exception {
        for (int round = 0; round < 3; round++) {
            String token = newSession();
            List<ApiClient.Response> responses = allAtOnce(6, () -> refresh(token));

            assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(1);
            assertThat(responses).filteredOn(r -> r.status() != 200)
                    .allSatisfy(r -> assertProblem(r, 401, "INVALID_REFRESH_TOKEN", REFRESH));
        }
    }

    /**
     * Eight refreshes with one token collide for sure: the test holds the token's row lock until all eight wait for it
     * in their conditional update, so exactly one wins it and seven lose it (none of them sees the token already
     * rotated). A loser is reuse like any other: the whole session ends, the winner's new token included.
     */
    @Test
    void refreshSameTokenRacingThenOneWinsAndTheLosersRevokeTheSessionAsReuse() throws Exception {
        String email = uniqueEmail("race");
        long userId = signUpShopper(email);
        JsonNode login = loggedIn(email, PASSWORD);
        String token = login.get("refreshToken").asText();
        String session = sessionOf(login.get("accessToken").asText());
        int attempts = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            List<Future<ApiClient.Response>> futures = new ArrayList<>();
            try (Connection holder = dataSource.getConnection()) {
                holder.setAutoCommit(false);
                try (PreparedStatement lock = holder.prepareStatement(
                        "select id from refresh_tokens where token_hash = ? for update")) {
                    lock.setString(1, sha256Hex(token));
                    lock.executeQuery().close();
                }
                for (int i = 0; i < attempts; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return refresh(token);
                    }));
                }
                start.countDown();
                awaitWaitingForTheRowLock(attempts);
                holder.rollback();
            }
            List<ApiClient.Response> responses = new ArrayList<>();
            for (Future<ApiClient.Response> future : futures) {
                responses.add(future.get());
            }

            List<ApiClient.Response> won = responses.stream().filter(r -> r.status() == 200).toList();
            assertThat(won).hasSizeLessThanOrEqualTo(1);
            assertThat(responses).filteredOn(r -> r.status() != 200)
                    .hasSizeGreaterThanOrEqualTo(attempts - 1)
                    .allSatisfy(r -> assertProblem(r, 401, "INVALID_REFRESH_TOKEN", REFRESH));
            for (ApiClient.Response winner : won) {
                assertProblem(refresh(winner.json().get("refreshToken").asText()), 401, "INVALID_REFRESH_TOKEN",
                        REFRESH);
            }
            assertThat(jdbc.queryForObject("select count(*) from refresh_tokens where family_id = ? and revoked_at is null",
                    Integer.class, session)).isZero();
            assertThat(jdbc.queryForList("select user_id from session_revocations where session_id = ?", Long.class,
                    session)).containsExactly(userId);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Until {@code count} connections of the service wait in the conditional update that marks a token rotated. */
    private void awaitWaitingForTheRowLock(int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        int waiting = 0;
        while (Instant.now().isBefore(deadline)) {
            waiting = jdbc.queryForObject("""
                    select count(*) from information_schema.processlist
                    where id <> connection_id() and info like 'update refresh_tokens%set rotated_at%'""", Integer.class);
            if (waiting == count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(waiting + " of " + count + " refreshes reached the row lock within 30 s");
    }

    @Test
    void refreshWithUnknownTokenThenUnauthorized() {
        assertProblem(refresh("never-issued-token"), 401, "INVALID_REFRESH_TOKEN", REFRESH);
    }

    @Test
    void refreshWithExpiredTokenThenUnauthorized() {
        String token = newSession();
        jdbc.update("update refresh_tokens set expires_at = ? where token_hash = ?",
                Timestamp.valueOf("2020-01-01 00:00:00"), sha256Hex(token));

        assertProblem(refresh(token), 401, "INVALID_REFRESH_TOKEN", REFRESH);
    }

    @Test
    void refreshWithoutTokenThenValidationFailed() {
        JsonNode problem = assertProblem(api.post(REFRESH, Map.of()), 400, "VALIDATION_FAILED", REFRESH);

        assertThat(errorFields(problem)).containsExactly("refreshToken");
    }

    @Test
    void logoutThenTheTokenAndItsSessionStopWorking() {
        String first = newSession();
        String second = refreshed(first).get("refreshToken").asText();

        ApiClient.Response response = logout(second);

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertProblem(refresh(second), 401, "INVALID_REFRESH_TOKEN", REFRESH);
    }

    @Test
    void logoutTwiceOrWithUnknownTokenThenStillNoContent() {
        String token = newSession();

        assertThat(logout(token).status()).isEqualTo(204);
        assertThat(logout(token).status()).isEqualTo(204);
        assertThat(logout("never-issued-token").status()).isEqualTo(204);
    }

    @Test
    void logoutWithoutTokenThenValidationFailed() {
        JsonNode problem = assertProblem(api.post(LOGOUT, Map.of()), 400, "VALIDATION_FAILED", LOGOUT);

        assertThat(errorFields(problem)).containsExactly("refreshToken");
    }

    static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
