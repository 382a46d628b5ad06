package dev.couponhub.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The people of the scenarios, made through the gateway as clients make them: one store owner with a store, and
 * {@link #COUNT} shoppers (signed up and logged in once, shared by every scenario: a sign-up costs about 0.2 s of
 * password hashing). Each scenario publishes its own coupon with a per-user limit of 100, so that few shoppers can
 * claim thousands of units.
 */
final class Shoppers {

    static final int COUNT = 48;
    static final int PER_USER_LIMIT = 100;
    private static final String PASSWORD = "fault-suite-password-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Shoppers instance;

    record Shopper(long userId, String token) {
    }

    final String ownerToken;
    final long storeId;
    final List<Shopper> shoppers;

    private Shoppers(String ownerToken, long storeId, List<Shopper> shoppers) {
        this.ownerToken = ownerToken;
        this.storeId = storeId;
        this.shoppers = shoppers;
    }

    static synchronized Shoppers get() throws Exception {
        if (instance == null) {
            long started = System.nanoTime();
            String run = UUID.randomUUID().toString().substring(0, 8);
            String owner = signUpAndLogIn("fault-owner-" + run + "@example.com", "OWNER").token();
            long storeId = send("POST", "/api/v1/stores", owner, "{\"name\":\"Fault suite store " + run
                    + "\",\"category\":\"CAFE\",\"address\":\"Seoul, Teheran-ro 2\"}", 201).path("id").asLong();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Shopper>> futures = new ArrayList<>();
                for (int i = 0; i < COUNT; i++) {
                    String email = "fault-shopper-" + run + "-" + i + "@example.com";
                    futures.add(pool.submit(() -> signUpAndLogIn(email, "SHOPPER")));
                }
                List<Shopper> shoppers = new ArrayList<>();
                for (Future<Shopper> future : futures) {
                    shoppers.add(future.get());
                }
                instance = new Shoppers(owner, storeId, List.copyOf(shoppers));
            }
            finally {
                pool.shutdownNow();
            }
            System.out.printf("FAULTS fixture: store %d, %d shoppers, %.1f s%n", storeId, COUNT,
                    (System.nanoTime() - started) / 1e9);
        }
        return instance;
    }

    /** Publishes a coupon of the owner's first store with {@code stock} units, claimable now; answers its id. */
    long publish(String name, long stock) throws Exception {
        return publish(storeId, name, stock);
    }

    /** Publishes a coupon of one of the owner's stores with {@code stock} units, claimable now; answers its id. */
    long publish(long storeId, String name, long stock) throws Exception {
        return send("POST", "/api/v1/coupons", ownerToken, "{\"storeId\":" + storeId + ",\"name\":\"" + name
                + "\",\"discountType\":\"FIXED\",\"discountValue\":1000,\"totalQuantity\":" + stock
                + ",\"perUserLimit\":" + PER_USER_LIMIT + ",\"issueStartsAt\":\"2026-01-01T00:00:00Z\","
                + "\"issueEndsAt\":\"2030-12-31T23:59:59Z\",\"validDaysAfterIssue\":30}", 201).path("id").asLong();
    }

    private static Shopper signUpAndLogIn(String email, String role) throws Exception {
        long id = send("POST", "/api/v1/auth/signup", null, "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"Fault " + role.toLowerCase() + "\",\"role\":\"" + role + "\"}", 201).path("id").asLong();
        String token = send("POST", "/api/v1/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\""
                + PASSWORD + "\"}", 200).path("accessToken").asText();
        return new Shopper(id, token);
    }

    /** Sends a request; waits out a 429 or a 503 (a breaker still open after an earlier scenario). */
    static JsonNode send(String method, String path, String token, String body, int expected) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(FaultSuite.BASE_URL + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = null;
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            }
            catch (IOException e) {
                Thread.sleep(500);
                continue;
            }
            if (response.statusCode() != 429 && response.statusCode() != 503) {
                break;
            }
            Thread.sleep(500);
        }
        if (response == null || response.statusCode() != expected) {
            throw new AssertionError(method + " " + path + " answered "
                    + (response == null ? "nothing" : response.statusCode() + ": " + response.body()));
        }
        return JSON.readTree(response.body());
    }
}
