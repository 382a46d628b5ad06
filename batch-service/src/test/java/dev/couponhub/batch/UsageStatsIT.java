package dev.couponhub.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.batch.ledger.UsageLedger;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Job coupon-usage-stats against a known set of events (service zone Asia/Seoul, UTC+9): exact figures per coupon
 * and day, repeats counted once, cancelled redemptions' discounts left out, late events taken in by a rerun, reruns
 * never double counting; the stats endpoint's ownership and validation; the run endpoints.
 */
class UsageStatsIT extends BatchItSupport {

    private static final String OVERVIEW = "/api/v1/stats/overview";

    private static final String RUNS = "/api/v1/batch/jobs/coupon-usage-stats/runs";

    @Autowired
    UsageLedger ledger;

    @Test
    void knownEventsThenExactFiguresPerSeoulDayAndRerunsTakeLateEventsWithoutDoubleCounting() {
        long owner = newId();
        long store = stores.addStore(owner);
        long coupon = newId();
        long quiet = newId();
        long ic1 = newId();
        long ic2 = newId();
        long ic3 = newId();
        long ic4 = newId();
        long ic5 = newId();
        String twice = claimed(coupon, store, ic2, Instant.parse("2026-03-10T10:00:00Z"));
        record(
                claimed(coupon, store, ic1, Instant.parse("2026-03-09T15:30:00Z")),   // 03-10 00:30 in Seoul
                twice, twice,                                                          // delivered twice
                claimed(coupon, store, ic3, Instant.parse("2026-03-10T14:59:59Z")),   // 03-10 23:59:59
                redeemed(coupon, store, ic1, "order-a", 1_000, Instant.parse("2026-03-10T11:00:00Z")),
                redeemed(coupon, store, ic2, "order-b", 2_000, Instant.parse("2026-03-10T12:00:00Z")),
                cancelled(coupon, store, ic2, "order-b", 2_000, Instant.parse("2026-03-10T16:00:00Z")), // 03-11 01:00
                redeemed(coupon, store, ic2, "order-b", 2_000, Instant.parse("2026-03-10T17:00:00Z")),  // again
                claimed(coupon, store, ic4, Instant.parse("2026-03-10T15:00:00Z")),   // 03-11 00:00
                expired(coupon, store, ic3, Instant.parse("2026-03-11T03:00:00Z")),
                claimed(quiet, store, newId(), Instant.parse("2026-02-01T03:00:00Z")),
                // out of order: a cancellation recorded before the redemption it undoes
                cancelled(coupon, store, ic5, "order-c", 700, Instant.parse("2026-03-10T13:00:00Z")),
                redeemed(coupon, store, ic5, "order-c", 700, Instant.parse("2026-03-10T12:30:00Z")));

        assertThat(run("2026-03-10").path("writeCount").asLong()).isGreaterThanOrEqualTo(1);
        run("2026-03-11");

        JsonNode stats = stats(store, "2026-03-09", "2026-03-12", as(owner, "OWNER"));
        assertThat(stats.path("storeId").asLong()).isEqualTo(store);
        assertThat(stats.path("from").asText()).isEqualTo("2026-03-09");
        assertThat(stats.path("to").asText()).isEqualTo("2026-03-12");
        JsonNode figures = couponOf(stats, coupon);
        assertThat(figures.path("name").asText()).isEqualTo("Coupon " + coupon);
        assertDay(figures, "2026-03-09", 0, 0, 0, 0, 0);
        assertDay(figures, "2026-03-10", 3, 3, 1, 0, 1_000);
        assertDay(figures, "2026-03-11", 1, 1, 1, 1, 2_000);
        assertDay(figures, "2026-03-12", 0, 0, 0, 0, 0);
        assertFigures(figures.path("totals"), 4, 4, 2, 1, 3_000);
        JsonNode quietFigures = couponOf(stats, quiet);
        assertThat(quietFigures.path("days")).hasSize(4);
        assertFigures(quietFigures.path("totals"), 0, 0, 0, 0, 0);

        // late events: one more claim on the 10th, and the 10th's first redemption cancelled on the 11th
        record(claimed(coupon, store, newId(), Instant.parse("2026-03-10T05:00:00Z")),
                cancelled(coupon, store, ic1, "order-a", 1_000, Instant.parse("2026-03-11T06:00:00Z")));
        run("2026-03-10");
        run("2026-03-10"); // a second rerun changes nothing
        JsonNode afterRerun = couponOf(stats(store, "2026-03-10", "2026-03-11", as(owner, "OWNER")), coupon);
        assertDay(afterRerun, "2026-03-10", 4, 3, 1, 0, 0);
        assertDay(afterRerun, "2026-03-11", 1, 1, 1, 1, 2_000); // not rerun yet: as computed before
        run("2026-03-11");
        JsonNode afterBoth = couponOf(stats(store, "2026-03-10", "2026-03-11", as(owner, "OWNER")), coupon);
        assertDay(afterBoth, "2026-03-11", 1, 1, 2, 1, 2_000);
        assertFigures(afterBoth.path("totals"), 5, 4, 3, 1, 2_000);
    }

    @Test
    void overviewSumsEveryStoreOfTheRangeAndRanksTheLeadingStoresAndCoupons() {
        long storeA = stores.addStore(newId());
        long storeB = stores.addStore(newId());
        long storeC = stores.addStore(newId());
        long a1 = newId();
        long a2 = newId();
        long b1 = newId();
        long c1 = newId();
        long redeemedUnit = newId();
        long expiredUnit = newId();
        record(
                claimed(a1, storeA, expiredUnit, Instant.parse("2020-05-10T01:00:00Z")),
                claimed(a1, storeA, newId(), Instant.parse("2020-05-10T02:00:00Z")),
                claimed(a1, storeA, newId(), Instant.parse("2020-05-10T03:00:00Z")),
                claimed(a2, storeA, newId(), Instant.parse("2020-05-10T04:00:00Z")),
                claimed(b1, storeB, redeemedUnit, Instant.parse("2020-05-10T05:00:00Z")),
                claimed(b1, storeB, newId(), Instant.parse("2020-05-10T06:00:00Z")),
                redeemed(b1, storeB, redeemedUnit, "order-o", 500, Instant.parse("2020-05-10T07:00:00Z")),
                claimed(c1, storeC, newId(), Instant.parse("2020-05-11T01:00:00Z")),
                expired(a1, storeA, expiredUnit, Instant.parse("2020-05-11T02:00:00Z")));
        run("2020-05-10");
        run("2020-05-11");

        ApiClient.Response response = api.get(OVERVIEW + "?from=2020-05-09&to=2020-05-12", admin());

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode overview = response.json();
        assertThat(overview.path("from").asText()).isEqualTo("2020-05-09");
        assertFigures(overview.path("totals"), 7, 1, 0, 1, 500);
        assertThat(overview.path("days")).hasSize(4);
        assertThat(overview.path("days").get(0).path("issued").asLong()).isZero();
        assertThat(overview.path("days").get(1).path("date").asText()).isEqualTo("2020-05-10");
        assertFigures(overview.path("days").get(1), 6, 1, 0, 0, 500);
        assertFigures(overview.path("days").get(2), 1, 0, 0, 1, 0);
        assertThat(overview.path("topStores")).extracting(store -> store.path("storeId").asLong())
                .containsExactly(storeA, storeB, storeC);
        JsonNode b = overview.path("topStores").get(1);
        assertThat(b.path("storeName").asText()).isEqualTo("Store " + storeB);
        assertThat(List.of(b.path("issued").asLong(), b.path("redeemed").asLong(), b.path("discountTotal").asLong()))
                .containsExactly(2L, 1L, 500L);
        assertThat(overview.path("topCoupons")).extracting(coupon -> coupon.path("couponId").asLong())
                .containsExactly(a1, b1, a2, c1);
        assertThat(overview.path("topCoupons").get(0).path("storeId").asLong()).isEqualTo(storeA);
        assertThat(overview.path("topCoupons").get(0).path("issued").asLong()).isEqualTo(3);
        // a day before any of it: nothing, nobody listed
        JsonNode empty = api.get(OVERVIEW + "?from=2020-05-01&to=2020-05-01", admin()).json();
        assertFigures(empty.path("totals"), 0, 0, 0, 0, 0);
        assertThat(empty.path("topStores")).isEmpty();
        assertThat(empty.path("topCoupons")).isEmpty();
    }

    @Test
    void overviewIsForAdminOnlyAndTakesTheStoresRanges() {
        assertProblem(api.get(OVERVIEW, as(newId(), "OWNER")), 403, "FORBIDDEN");
        assertProblem(api.get(OVERVIEW, as(newId(), "SHOPPER")), 403, "FORBIDDEN");
        assertProblem(api.get(OVERVIEW), 401, "UNAUTHORIZED");
        assertProblem(api.get(OVERVIEW + "?from=2026-03-05&to=2026-03-01", admin()), 400, "VALIDATION_FAILED");
        assertProblem(api.get(OVERVIEW + "?from=2025-01-01&to=2026-01-02", admin()), 400, "VALIDATION_FAILED");
        JsonNode recent = api.get(OVERVIEW, admin()).json();
        assertThat(recent.path("days")).hasSize(30);
    }

    @Test
    void statsWhenNotTheOwnerThenForbiddenAndAdminMaySee() {
        long owner = newId();
        long store = stores.addStore(owner);
        String path = "/api/v1/stats/stores/" + store + "/coupons?from=2026-03-01&to=2026-03-02";

        assertProblem(api.get(path, as(newId(), "OWNER")), 403, "NOT_STORE_OWNER");
        assertProblem(api.get(path, as(owner, "SHOPPER")), 403, "NOT_STORE_OWNER");
        assertProblem(api.get(path), 401, "UNAUTHORIZED");
        assertThat(api.get(path, admin()).status()).isEqualTo(200);
        assertThat(api.get(path, as(owner, "OWNER")).status()).isEqualTo(200);
        assertProblem(api.get("/api/v1/stats/stores/999999999/coupons", admin()), 404, "STORE_NOT_FOUND");
    }

    @Test
    void statsWhenRangeInvalidThenValidationFailed() {
        long owner = newId();
        long store = stores.addStore(owner);
        String base = "/api/v1/stats/stores/" + store + "/coupons";

        assertThat(assertProblem(api.get(base + "?from=2026-03-05&to=2026-03-01", as(owner, "OWNER")), 400,
                "VALIDATION_FAILED").path("errors").get(0).path("field").asText()).isEqualTo("to");
        assertProblem(api.get(base + "?from=2025-01-01&to=2026-01-02", as(owner, "OWNER")), 400, "VALIDATION_FAILED");
        assertThat(assertProblem(api.get(base + "?from=yesterday", as(owner, "OWNER")), 400, "VALIDATION_FAILED")
                .path("errors").get(0).path("field").asText()).isEqualTo("from");
        assertProblem(api.get("/api/v1/stats/stores/0/coupons", as(owner, "OWNER")), 400, "VALIDATION_FAILED");
        // exactly 366 days is allowed, and every day is there
        JsonNode year = api.get(base + "?from=2025-01-01&to=2026-01-01", as(owner, "OWNER")).json();
        assertThat(year.path("from").asText()).isEqualTo("2025-01-01");
        // without a range: the last 30 days up to today
        JsonNode recent = api.get(base, as(owner, "OWNER")).json();
        assertThat(LocalDate.parse(recent.path("to").asText()).minusDays(29))
                .isEqualTo(LocalDate.parse(recent.path("from").asText()));
    }

    @Test
    void runsWhenNotAdminOrUnknownThenRefused() {
        assertProblem(api.post(RUNS, Map.of(), as(newId(), "OWNER")), 403, "FORBIDDEN");
        assertProblem(api.post(RUNS, Map.of()), 401, "UNAUTHORIZED");
        assertProblem(api.post("/api/v1/batch/jobs/no-such-job/runs", Map.of(), admin()), 404, "JOB_NOT_FOUND");
        assertProblem(api.get(RUNS + "/987654321", admin()), 404, "RUN_NOT_FOUND");
        assertProblem(api.post(RUNS, Map.of("date", "2999-01-01"), admin()), 400, "VALIDATION_FAILED");
        assertProblem(api.post(RUNS, Map.of("date", "March"), admin()), 400, "VALIDATION_FAILED");
        assertProblem(api.get(RUNS + "/1", as(newId(), "SHOPPER")), 403, "FORBIDDEN");
    }

    @Test
    void runWithoutBodyThenTodayIsComputedAndStatusReported() {
        ApiClient.Response started = api.send("POST", RUNS, null, admin());

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.json().path("jobName").asText()).isEqualTo("coupon-usage-stats");
        assertThat(started.json().path("status").asText()).isIn("STARTING", "STARTED", "COMPLETED");
        JsonNode done = awaitEnd(started.json().path("runId").asLong());
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("startedAt").asText()).isNotBlank();
        assertThat(Instant.parse(done.path("endedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(done.path("startedAt").asText()));
    }

    private void record(String... messages) {
        for (String message : messages) {
            ledger.record(message);
        }
    }

    /** Runs the job for one day through the API and waits for it to complete. */
    JsonNode run(String date) {
        ApiClient.Response started = api.post(RUNS, Map.of("date", date), admin());
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        JsonNode done = awaitEnd(started.json().path("runId").asLong());
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
        return done;
    }

    JsonNode awaitEnd(long runId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = api.get(RUNS + "/" + runId, admin()).json();
            return List.of("COMPLETED", "FAILED").contains(last[0].path("status").asText());
        });
        return last[0];
    }

    private JsonNode stats(long store, String from, String to, String... caller) {
        ApiClient.Response response = api.get("/api/v1/stats/stores/" + store + "/coupons?from=" + from + "&to=" + to,
                caller);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode couponOf(JsonNode stats, long couponId) {
        for (JsonNode coupon : stats.path("coupons")) {
            if (coupon.path("couponId").asLong() == couponId) {
                return coupon;
            }
        }
        throw new AssertionError("coupon " + couponId + " missing in " + stats);
    }

    private static void assertDay(JsonNode coupon, String date, long issued, long redeemed, long cancelled,
                                  long expired, long discountTotal) {
        for (JsonNode day : coupon.path("days")) {
            if (day.path("date").asText().equals(date)) {
                assertFigures(day, issued, redeemed, cancelled, expired, discountTotal);
                return;
            }
        }
        throw new AssertionError("day " + date + " missing in " + coupon);
    }

    private static void assertFigures(JsonNode figures, long issued, long redeemed, long cancelled, long expired,
                                      long discountTotal) {
        assertThat(List.of(figures.path("issued").asLong(), figures.path("redeemed").asLong(),
                figures.path("cancelled").asLong(), figures.path("expired").asLong(),
                figures.path("discountTotal").asLong()))
                .as(figures.toString())
                .containsExactly(issued, redeemed, cancelled, expired, discountTotal);
    }
}
