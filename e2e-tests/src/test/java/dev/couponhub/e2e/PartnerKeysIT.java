package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A store's API key through the real suite and two gateway instances (the suite's own and a second from the same jar):
 * the store's server lists its coupon's issued units and grants with it on both; the key on another store of the same
 * owner is 403 {@code NOT_STORE_OWNER}, on a shopper's route 403; once the owner deletes it, both gateways refuse it
 * with 401 within 5 seconds.
 */
@ExtendWith(CouponhubSuite.class)
class PartnerKeysIT {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    private static SecondGateway secondGateway;
    private static ApiClient first;
    private static ApiClient second;

    @BeforeAll
    static void startSecondGateway() throws Exception {
        secondGateway = SecondGateway.start("second-gateway-partner.log");
        first = new ApiClient(8080);
        second = secondGateway.client();
    }

    @AfterAll
    static void stopSecondGateway() throws InterruptedException {
        if (secondGateway != null) {
            secondGateway.close();
        }
    }

    private static String signUpAndLogIn(String role) {
        String email = "partner-" + UUID.randomUUID() + "@example.com";
        assertThat(first.post("/api/v1/auth/signup", Map.of("email", email, "password", "password-1", "name",
                "Partner test", "role", role)).status()).isEqualTo(201);
        return "Bearer " + first.post("/api/v1/auth/login", Map.of("email", email, "password", "password-1")).json()
                .path("accessToken").asText();
    }

    private static long store(String owner, String name) {
        ApiClient.Response store = first.post("/api/v1/stores", Map.of("name", name, "category", "CAFE", "address",
                "서울 1"), "Authorization", owner);
        assertThat(store.status()).as(store.toString()).isEqualTo(201);
        return store.json().path("id").asLong();
    }

    private static long coupon(String owner, long storeId) {
        Instant now = Instant.now();
        ApiClient.Response coupon = first.post("/api/v1/coupons", Map.of("storeId", storeId, "name", "Partner coupon",
                "discountType", "FIXED", "discountValue", 1000, "totalQuantity", 10,
                "issueStartsAt", now.minusSeconds(60).toString(), "issueEndsAt", now.plusSeconds(86_400).toString(),
                "validDaysAfterIssue", 7), "Authorization", owner);
        assertThat(coupon.status()).as(coupon.toString()).isEqualTo(201);
        return coupon.json().path("id").asLong();
    }

    @Test
    void keyOfItsStoreWorksOnBothGatewaysOnlyThereAndIsRefusedEverywhereWithin5SecondsOfItsDeletion()
            throws Exception {
        String owner = signUpAndLogIn("OWNER");
        long storeA = store(owner, "Partner A " + UUID.randomUUID());
        long storeB = store(owner, "Partner B " + UUID.randomUUID());
        long couponA = coupon(owner, storeA);
        long couponB = coupon(owner, storeB);
        String shopper = signUpAndLogIn("SHOPPER");
        long shopperId = first.get("/api/v1/users/me", "Authorization", shopper).json().path("id").asLong();
        JsonNode created = first.post("/api/v1/stores/" + storeA + "/api-keys", Map.of("name", "POS"),
                "Authorization", owner).json();
        String key = created.path("key").asText();

        // the store's server grants on one gateway and lists on the other
        ApiClient.Response granted = first.post("/api/v1/coupons/" + couponA + "/grants",
                Map.of("userIds", List.of(shopperId)), "X-Api-Key", key);
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        assertThat(granted.json().path("issued")).hasSize(1);
        for (ApiClient gateway : List.of(first, second)) {
            ApiClient.Response listed = gateway.get("/api/v1/coupons/" + couponA + "/issued-coupons", "X-Api-Key", key);
            assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
            assertThat(listed.json().path("totalElements").asLong()).isEqualTo(1);
            // another store of the same owner
            ApiClient.Response other = gateway.get("/api/v1/coupons/" + couponB + "/issued-coupons", "X-Api-Key",
                    key);
            assertThat(other.status()).as(other.toString()).isEqualTo(403);
            assertThat(other.json().path("code").asText()).isEqualTo("NOT_STORE_OWNER");
            // a shopper's route and an account route
            assertThat(gateway.post("/api/v1/coupons/" + couponA + "/claim", null, "X-Api-Key", key).status())
                    .isEqualTo(403);
            assertThat(gateway.get("/api/v1/users/me", "X-Api-Key", key).status()).isEqualTo(403);
        }
        JsonNode listedKeys = first.get("/api/v1/stores/" + storeA + "/api-keys", "Authorization", owner).json();
        assertThat(listedKeys.get(0).path("lastUsedAt").isNull()).isFalse();

        assertThat(first.delete("/api/v1/stores/" + storeA + "/api-keys/" + created.path("id").asLong(),
                "Authorization", owner).status()).isEqualTo(204);

        long deletedAt = System.nanoTime();
        for (ApiClient gateway : List.of(first, second)) {
            ApiClient.Response answer = gateway.get("/api/v1/coupons/" + couponA + "/issued-coupons", "X-Api-Key", key);
            while (answer.status() != 401) {
                assertThat(Duration.ofNanos(System.nanoTime() - deletedAt)).as("refused within 5 s, last: %s", answer)
                        .isLessThan(WITHIN);
                Thread.sleep(100);
                answer = gateway.get("/api/v1/coupons/" + couponA + "/issued-coupons", "X-Api-Key", key);
            }
            assertThat(answer.json().path("code").asText()).isEqualTo("UNAUTHORIZED");
        }
    }
}
