package dev.couponhub.user.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.user.UserServiceItSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The record of ended sessions ({@code session_revocations}) and its internal endpoint for the gateways. */
class SessionRevocationsIT extends UserServiceItSupport {

    private static final String PATH = "/internal/v1/session-revocations";
    private static final String PASSWORD_PATH = "/api/v1/users/me/password";

    @Autowired
    SessionRevocations sessions;

    @Autowired
    DataSource dataSource;

    private long lastId() {
        return jdbc.queryForObject("select coalesce(max(id), 0) from session_revocations", Long.class);
    }

    private List<JsonNode> revocationsAfter(long after) {
        ApiClient.Response response = api.get(PATH + "?after=" + after);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        response.json().get("revocations").forEach(list::add);
        return list;
    }

    private static List<String> sessionIds(List<JsonNode> revocations) {
        return revocations.stream().map(r -> r.get("sessionId").asText()).toList();
    }

    @Test
    void logoutThenOneRevocationOfItsSessionAndASecondLogoutAddsNone() {
        String email = uniqueEmail("rev-logout");
        long userId = signUpShopper(email);
        JsonNode tokens = loggedIn(email, PASSWORD);
        String sid = sessionOf(tokens.get("accessToken").asText());
        long before = lastId();
        Instant start = clock.instant().minusSeconds(1);

        assertThat(logout(tokens.get("refreshToken").asText()).status()).isEqualTo(204);

        List<JsonNode> revocations = revocationsAfter(before);
        assertThat(revocations).hasSize(1);
        JsonNode revocation = revocations.get(0);
        assertThat(revocation.get("id").asLong()).isGreaterThan(before);
        assertThat(revocation.get("sessionId").asText()).isEqualTo(sid);
        assertThat(revocation.get("userId").asLong()).isEqualTo(userId);
        assertThat(Instant.parse(revocation.get("revokedAt").asText())).isBetween(start, clock.instant());
        assertThat(revocation.size()).isEqualTo(4);

        assertThat(logout(tokens.get("refreshToken").asText()).status()).isEqualTo(204);

        assertThat(revocationsAfter(before)).hasSize(1);
    }

    @Test
    void reuseOfARotatedTokenThenRevocationOfThatSessionOnly() {
        String email = uniqueEmail("rev-reuse");
        long userId = signUpShopper(email);
        JsonNode first = loggedIn(email, PASSWORD);
        JsonNode other = loggedIn(email, PASSWORD);
        assertThat(refresh(first.get("refreshToken").asText()).status()).isEqualTo(200);
        long before = lastId();

        assertProblem(refresh(first.get("refreshToken").asText()), 401, "INVALID_REFRESH_TOKEN", "/api/v1/auth/refresh");

        List<JsonNode> revocations = revocationsAfter(before);
        assertThat(sessionIds(revocations)).containsExactly(sessionOf(first.get("accessToken").asText()));
        assertThat(revocations.get(0).get("userId").asLong()).isEqualTo(userId);
        assertThat(sessionIds(revocations)).doesNotContain(sessionOf(other.get("accessToken").asText()));

        assertProblem(refresh(first.get("refreshToken").asText()), 401, "INVALID_REFRESH_TOKEN", "/api/v1/auth/refresh");

        assertThat(revocationsAfter(before)).hasSize(1);
    }

    @Test
    void passwordChangeWithTwoOpenSessionsThenTwoRevocationsAndNoneForAnEndedSession() {
        String email = uniqueEmail("rev-password");
        long userId = signUpShopper(email);
        String sessionA = sessionOf(loggedIn(email, PASSWORD).get("accessToken").asText());
        JsonNode b = loggedIn(email, PASSWORD);
        String sessionB = sessionOf(b.get("accessToken").asText());
        assertThat(refresh(b.get("refreshToken").asText()).status()).isEqualTo(200);
        JsonNode ended = loggedIn(email, PASSWORD);
        assertThat(logout(ended.get("refreshToken").asText()).status()).isEqualTo(204);
        long before = lastId();

        ApiClient.Response response = api.put(PASSWORD_PATH,
                Map.of("currentPassword", PASSWORD, "newPassword", "brand-new-password"), as(userId));

        assertThat(response.status()).as(response.toString()).isEqualTo(204);
        List<JsonNode> revocations = revocationsAfter(before);
        assertThat(sessionIds(revocations)).containsExactlyInAnyOrder(sessionA, sessionB);
        assertThat(revocations).allSatisfy(r -> assertThat(r.get("userId").asLong()).isEqualTo(userId));
    }

    @Test
    void closingTheAccountWithTwoOpenSessionsThenTwoRevocations() {
        String email = uniqueEmail("rev-close");
        long userId = signUpShopper(email);
        String sessionA = sessionOf(loggedIn(email, PASSWORD).get("accessToken").asText());
        String sessionB = sessionOf(loggedIn(email, PASSWORD).get("accessToken").asText());
        long before = lastId();

        assertThat(api.delete("/api/v1/users/me", as(userId)).status()).isEqualTo(204);

        List<JsonNode> revocations = revocationsAfter(before);
        assertThat(sessionIds(revocations)).containsExactlyInAnyOrder(sessionA, sessionB);
        assertThat(revocations).allSatisfy(r -> assertThat(r.get("userId").asLong()).isEqualTo(userId));
    }

    /**
     * A reader that has seen id n never gets an id below n later: a revocation waits for the one still being written
     * before it (the writer row), so it cannot commit ahead of a smaller id.
     */
    @Test
    void revocationWhileAnotherIsBeingWrittenThenItWaitsSoIdsBecomeVisibleInOrder() throws Exception {
        String email = uniqueEmail("rev-order");
        signUpShopper(email);
        JsonNode tokens = loggedIn(email, PASSWORD);
        long before = lastId();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ApiClient.Response> logout;
            try (Connection writer = dataSource.getConnection()) {
                writer.setAutoCommit(false);
                try (Statement statement = writer.createStatement()) {
                    statement.executeQuery("select id from session_revocation_writer where id = 1 for update").close();
                    statement.executeUpdate("insert into session_revocations (session_id, user_id, revoked_at)"
                            + " values ('first-of-two', 1, utc_timestamp(6))");
                }
                logout = pool.submit(() -> logout(tokens.get("refreshToken").asText()));
                awaitDoneOrWaitingForTheWriterRow(logout);

                assertThat(revocationsAfter(before)).isEmpty();

                writer.commit();
            }
            assertThat(logout.get().status()).isEqualTo(204);
            assertThat(sessionIds(revocationsAfter(before)))
                    .containsExactly("first-of-two", sessionOf(tokens.get("accessToken").asText()));
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitDoneOrWaitingForTheWriterRow(Future<?> logout) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Integer waiting = jdbc.queryForObject("""
                    select count(*) from information_schema.processlist
                    where id <> connection_id() and info like 'select id from session_revocation_writer%'""",
                    Integer.class);
            if (logout.isDone() || waiting == 1) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the logout neither finished nor waited for the writer row within 30 s");
    }

    @Test
    void pageByAfterAndLimitThenAscendingIdsAboveAfterOnly() {
        String email = uniqueEmail("rev-page");
        signUpShopper(email);
        long before = lastId();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode tokens = loggedIn(email, PASSWORD);
            sessions.add(sessionOf(tokens.get("accessToken").asText()));
            assertThat(logout(tokens.get("refreshToken").asText()).status()).isEqualTo(204);
        }

        JsonNode firstPage = api.get(PATH + "?after=" + before + "&limit=2").json().get("revocations");
        long second = firstPage.get(1).get("id").asLong();
        JsonNode secondPage = api.get(PATH + "?after=" + second + "&limit=2").json().get("revocations");

        assertThat(firstPage).hasSize(2);
        assertThat(firstPage.get(0).get("id").asLong()).isGreaterThan(before).isLessThan(second);
        assertThat(List.of(firstPage.get(0).get("sessionId").asText(), firstPage.get(1).get("sessionId").asText()))
                .containsExactly(sessions.get(0), sessions.get(1));
        assertThat(secondPage).hasSize(1);
        assertThat(secondPage.get(0).get("sessionId").asText()).isEqualTo(sessions.get(2));
        JsonNode all = api.get(PATH).json().get("revocations");
        List<Long> ids = new ArrayList<>();
        all.forEach(r -> ids.add(r.get("id").asLong()));
        assertThat(ids).isSorted().hasSizeLessThanOrEqualTo(1000).contains(second);
    }

    @Test
    void readThenARangeScanOfThePrimaryKey() {
        Map<String, Object> plan = jdbc.queryForList("""
                explain select id, session_id, user_id, revoked_at from session_revocations
                where id > 0 order by id limit 1000""").get(0);

        assertThat(plan.get("key")).isEqualTo("PRIMARY");
        assertThat(plan.get("type")).isEqualTo("range");
    }

    @Test
    void invalidAfterOrLimitThenValidationFailed() {
        for (String query : List.of("limit=0", "limit=1001", "limit=-5", "limit=abc")) {
            JsonNode problem = assertProblem(api.get(PATH + "?" + query), 400, "VALIDATION_FAILED", PATH);
            assertThat(errorFields(problem)).as(query).containsExactly("limit");
        }
        for (String query : List.of("after=-1", "after=x")) {
            JsonNode problem = assertProblem(api.get(PATH + "?" + query), 400, "VALIDATION_FAILED", PATH);
            assertThat(errorFields(problem)).as(query).containsExactly("after");
        }
        assertThat(api.get(PATH + "?limit=1").status()).isEqualTo(200);
        assertThat(api.get(PATH + "?limit=1000").status()).isEqualTo(200);
    }

    @Test
    void purgeThenRowsOlderThanTheAccessTokenLifetimePlusAMinuteGoOthersStay() {
        Instant now = clock.instant();
        long old = insert("purge-old", now.minus(Duration.ofMinutes(16)).minusSeconds(5));
        long kept = insert("purge-kept", now.minus(Duration.ofMinutes(15)).minusSeconds(30));
        long fresh = insert("purge-fresh", now);

        sessions.purge();

        List<Long> left = jdbc.queryForList("select id from session_revocations where id in (?, ?, ?)", Long.class,
                old, kept, fresh);
        assertThat(left).containsExactlyInAnyOrder(kept, fresh);

        clock.advance(Duration.ofMinutes(1));
        sessions.purge();

        assertThat(jdbc.queryForList("select id from session_revocations where id in (?, ?)", Long.class, kept, fresh))
                .containsExactly(fresh);
    }

    private long insert(String sessionId, Instant revokedAt) {
        jdbc.update("insert into session_revocations (session_id, user_id, revoked_at) values (?, 1, ?)", sessionId,
                LocalDateTime.ofInstant(revokedAt, ZoneOffset.UTC));
        return jdbc.queryForObject("select max(id) from session_revocations where session_id = ?", Long.class,
                sessionId);
    }
}
