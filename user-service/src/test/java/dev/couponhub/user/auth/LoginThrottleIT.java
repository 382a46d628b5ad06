package dev.couponhub.user.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.user.UserServiceItSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** 5 failed logins for one email within 15 minutes: 429 LOGIN_THROTTLED with Retry-After. */
class LoginThrottleIT extends UserServiceItSupport {

    private static final String PATH = "/api/v1/auth/login";
    private static final String WRONG = "not-the-password";

    @Autowired
    LoginThrottle throttle;

    private void failFiveTimes(String email) {
        for (int i = 0; i < 5; i++) {
            assertProblem(login(email, WRONG), 401, "BAD_CREDENTIALS", PATH);
        }
    }

    /** A 429 LOGIN_THROTTLED problem; answers its Retry-After. */
    private static long assertThrottled(ApiClient.Response response) {
        assertProblem(response, 429, "LOGIN_THROTTLED", PATH);
        String retryAfter = response.header("Retry-After");
        assertThat(retryAfter).as(response.toString()).matches("[0-9]+");
        assertThat(Long.parseLong(retryAfter)).isBetween(1L, 900L);
        return Long.parseLong(retryAfter);
    }

    @Test
    void fiveFailuresThenEveryLoginOfTheEmailThrottledEvenWithTheRightPassword() {
        String email = uniqueEmail("throttle");
        signUpShopper(email);
        String other = uniqueEmail("throttle-other");
        signUpShopper(other);

        failFiveTimes(email);

        long retryAfter = assertThrottled(login(email, WRONG));
        assertThat(retryAfter).isBetween(880L, 900L);
        assertThrottled(login(email, PASSWORD));
        assertThrottled(login("  " + email.toUpperCase() + " ", PASSWORD));
        assertThat(login(other, PASSWORD).status()).isEqualTo(200);
        assertProblem(login(other, WRONG), 401, "BAD_CREDENTIALS", PATH);
    }

    @Test
    void emailWithoutAccountThenThrottledTheSameWay() {
        String nobody = uniqueEmail("throttle-nobody");

        failFiveTimes(nobody);

        assertThrottled(login(nobody, WRONG));
        assertThrottled(login(nobody, PASSWORD));
    }

    @Test
    void successfulLoginThenTheEmailsFailuresAreCleared() {
        String email = uniqueEmail("throttle-clear");
        signUpShopper(email);
        for (int i = 0; i < 4; i++) {
            assertProblem(login(email, WRONG), 401, "BAD_CREDENTIALS", PATH);
        }

        assertThat(login(email, PASSWORD).status()).isEqualTo(200);

        failFiveTimes(email);
        assertThrottled(login(email, WRONG));
    }

    @Test
    void twentyConcurrentWrongLoginsThenExactlyFiveCheckedAndFifteenThrottled() throws Exception {
        String email = uniqueEmail("throttle-race");
        signUpShopper(email);
        List<ApiClient.Response> responses = allAtOnce(20, () -> login(email, WRONG));

        assertThat(responses).filteredOn(r -> r.status() == 401).hasSize(5)
                .allSatisfy(r -> assertProblem(r, 401, "BAD_CREDENTIALS", PATH));
        assertThat(responses).filteredOn(r -> r.status() == 429).hasSize(15)
                .allSatisfy(LoginThrottleIT::assertThrottled);
    }

    @Test
    void windowPassedThenTheEmailLogsInAgain() {
        String email = uniqueEmail("throttle-window");
        signUpShopper(email);
        failFiveTimes(email);
        long retryAfter = assertThrottled(login(email, PASSWORD));

        clock.advance(Duration.ofSeconds(retryAfter - 5));
        assertThrottled(login(email, PASSWORD));

        clock.advance(Duration.ofSeconds(5));
        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void failuresThenOnlyTheHashOfTheNormalizedEmailIsStored() {
        String email = uniqueEmail("throttle-hash");
        login(" " + email.toUpperCase() + " ", WRONG);
        login(email, WRONG);

        String hash = RefreshTokenCodec.hash(email);
        assertThat(jdbc.queryForObject("select count(*) from login_failures where email_hash = ?", Integer.class, hash))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from login_throttle_gates where email_hash = ?", Integer.class,
                hash)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from login_failures where email_hash like ?", Integer.class,
                "%" + email + "%")).isZero();
    }

    @Test
    void purgeThenFailuresOlderThanTheWindowAndUnusedGatesGo() {
        Instant now = clock.instant();
        String oldOnly = "a".repeat(63) + "1";
        String recent = "a".repeat(63) + "2";
        insertGate(oldOnly, now.minus(Duration.ofMinutes(20)));
        insertGate(recent, now.minus(Duration.ofMinutes(20)));
        insertFailure(oldOnly, now.minus(Duration.ofMinutes(15)).minusSeconds(1));
        insertFailure(recent, now.minus(Duration.ofMinutes(16)));
        insertFailure(recent, now.minus(Duration.ofMinutes(14)));

        throttle.purge();

        assertThat(jdbc.queryForList("select email_hash from login_failures where email_hash in (?, ?)", String.class,
                oldOnly, recent)).containsExactly(recent);
        assertThat(jdbc.queryForList("select email_hash from login_throttle_gates where email_hash in (?, ?)",
                String.class, oldOnly, recent)).containsExactly(recent);
    }

    private void insertGate(String hash, Instant createdAt) {
        jdbc.update("insert into login_throttle_gates (email_hash, created_at) values (?, ?)", hash,
                LocalDateTime.ofInstant(createdAt, ZoneOffset.UTC));
    }

    private void insertFailure(String hash, Instant failedAt) {
        jdbc.update("insert into login_failures (email_hash, failed_at) values (?, ?)", hash,
                LocalDateTime.ofInstant(failedAt, ZoneOffset.UTC));
    }
}
