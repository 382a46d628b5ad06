package dev.couponhub.loadtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The unmeasured part: an owner, a store, the two coupons and the shoppers' access tokens, all created through the
 * gateway exactly as a client would. Shoppers are reused between runs (login first, sign up only when unknown).
 */
final class BenchSetup {

    static final String PASSWORD = "load-test-password-42";
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("^\\{\\s*\"id\"\\s*:\\s*(\\d+)");

    record Shopper(int index, String token) {}

    record Fixture(long storeId, long warmUpCouponId, long measuredCouponId, List<Shopper> shoppers) {}

    private final BenchConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BenchSetup(BenchConfig config) {
        this.config = config;
    }

    Fixture run() throws Exception {
        long started = System.nanoTime();
        String owner = tokenOf("loadtest-owner@example.com", "Load Owner", "OWNER");
        long storeId = idOf(send("POST", "/api/v1/stores", owner,
                "{\"name\":\"Load test store " + config.runId() + "\",\"category\":\"CAFE\","
                        + "\"address\":\"Seoul, Teheran-ro 1\"}", 201));
        long warmUpStock = Math.min(10_000_000L, (long) config.users() * config.perUserLimit());
        long warmUpCoupon = idOf(send("POST", "/api/v1/coupons", owner, coupon(storeId, "warm-up", warmUpStock), 201));
        long measuredCoupon = idOf(send("POST", "/api/v1/coupons", owner,
                coupon(storeId, "measured", config.stock()), 201));
        System.out.printf("setup: store %d, warm-up coupon %d (stock %d), measured coupon %d (stock %d)%n",
                storeId, warmUpCoupon, warmUpStock, measuredCoupon, config.stock());

        ExecutorService pool = Executors.newFixedThreadPool(config.setupThreads());
        try {
            List<Future<Shopper>> futures = new ArrayList<>();
            for (int i = 0; i < config.users(); i++) {
                int index = i;
                futures.add(pool.submit(() -> new Shopper(index,
                        tokenOf("loadtest-shopper-" + index + "@example.com", "Shopper " + index, "SHOPPER"))));
            }
            List<Shopper> shoppers = new ArrayList<>(futures.size());
            for (Future<Shopper> future : futures) {
                shoppers.add(future.get());
            }
            System.out.printf("setup: %d shoppers logged in, %.1f s%n", shoppers.size(),
                    (System.nanoTime() - started) / 1e9);
            return new Fixture(storeId, warmUpCoupon, measuredCoupon, List.copyOf(shoppers));
        } finally {
            pool.shutdownNow();
        }
    }

    private String coupon(long storeId, String label, long quantity) {
        return "{\"storeId\":" + storeId + ",\"name\":\"Load test " + label + " " + config.runId() + "\","
                + "\"discountType\":\"FIXED\",\"discountValue\":1000,\"totalQuantity\":" + quantity + ","
                + "\"perUserLimit\":" + config.perUserLimit() + ","
                + "\"issueStartsAt\":\"2026-01-01T00:00:00Z\",\"issueEndsAt\":\"2030-12-31T23:59:59Z\","
                + "\"validDaysAfterIssue\":30}";
    }

    /** Logs in; signs up first when the account does not exist yet. */
    private String tokenOf(String email, String name, String role) throws Exception {
        String credentials = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
        HttpResponse<String> login = sendRaw("POST", "/api/v1/auth/login", null, credentials);
        if (login.statusCode() == 401) {
            send("POST", "/api/v1/auth/signup", null, "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                    + "\",\"name\":\"" + name + "\",\"role\":\"" + role + "\"}", 201);
            login = sendRaw("POST", "/api/v1/auth/login", null, credentials);
        }
        expect(login, 200, "login " + email);
        Matcher matcher = ACCESS_TOKEN.matcher(login.body());
        if (!matcher.find()) {
            throw new IllegalStateException("login answered without accessToken");
        }
        return matcher.group(1);
    }

    private String send(String method, String path, String token, String body, int expected) throws Exception {
        HttpResponse<String> response = sendRaw(method, path, token, body);
        expect(response, expected, method + " " + path);
        return response.body();
    }

    /**
     * Sends one request; waits and retries while the gateway's per-caller rate limit answers 429 or a circuit
     * breaker answers 503 (for example still open after an earlier overload).
     */
    private HttpResponse<String> sendRaw(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder.build();
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if ((response.statusCode() != 429 && response.statusCode() != 503) || attempt >= 200) {
                return response;
            }
            Thread.sleep(250);
        }
    }

    private static void expect(HttpResponse<String> response, int expected, String what) {
        if (response.statusCode() != expected) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static long idOf(String json) {
        Matcher matcher = ID.matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no id in " + json);
        }
        return Long.parseLong(matcher.group(1));
    }
}
