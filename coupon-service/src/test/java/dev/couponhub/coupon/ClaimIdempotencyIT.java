package dev.couponhub.coupon;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The {@code Idempotency-Key} of a claim as docs/api.md promises it: a repeat answers the first answer and issues
 * nothing, also when many copies arrive at once; the same key on another coupon is 422
 * {@code IDEMPOTENCY_KEY_REUSED}; keys compare exactly (case, accents), in Redis and in MySQL alike.
 */
class ClaimIdempotencyIT extends CouponServiceItSupport {

    private static final String KEY = "Idempotency-Key";
    private static final int THREADS = 16;

    @Test
    void keyReusedOnAnotherCouponThenKeyReusedAndNothingIssued() {
        long first = openCoupon(5, 2);
        long other = openCoupon(5, 2);
        long user = newUserId();
        String key = token();

        ApiClient.Response issued = claim(first, user, KEY, key);
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);

        JsonNode problem = assertProblem(claim(other, user, KEY, key), 422, "IDEMPOTENCY_KEY_REUSED",
                COUPONS + "/" + other + "/claim");
        assertThat(problem.path("detail").asText()).contains("another coupon");
        assertThat(issuedCount(other)).isZero();
        // the key still answers its own coupon with the first answer
        ApiClient.Response again = claim(first, user, KEY, key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().path("id").asLong()).isEqualTo(issued.json().path("id").asLong());
        assertThat(issuedCount(first)).isEqualTo(1);

        // Redis forgot the answer: MySQL still knows which coupon the key issued
        redis.delete("idem:" + user + ":" + key);
        assertProblem(claim(other, user, KEY, key), 422, "IDEMPOTENCY_KEY_REUSED", COUPONS + "/" + other + "/claim");
        assertThat(claim(first, user, KEY, key).json().path("id").asLong())
                .isEqualTo(issued.json().path("id").asLong());
        assertThat(issuedCount(other)).isZero();
        assertThat(issuedCount(first)).isEqualTo(1);
        // the refusal was not remembered as the key's answer: its first answer is still the 201
        assertThat(claim(first, user, KEY, key).json().path("id").asLong())
                .isEqualTo(issued.json().path("id").asLong());
        // another shopper may use the same key on the other coupon
        assertThat(claim(other, newUserId(), KEY, key).status()).isEqualTo(201);
    }

    @Test
    void keyWhoseFirstAnswerWasAnErrorReusedOnAnotherCouponThenKeyReused() {
        long soldOut = openCoupon(1, 1);
        assertThat(claim(soldOut, newUserId()).status()).isEqualTo(201);
        long other = openCoupon(5, 1);
        long user = newUserId();
        String key = token();

        assertProblem(claim(soldOut, user, KEY, key), 409, "SOLD_OUT", COUPONS + "/" + soldOut + "/claim");
        assertProblem(claim(other, user, KEY, key), 422, "IDEMPOTENCY_KEY_REUSED", COUPONS + "/" + other + "/claim");
        assertProblem(claim(soldOut, user, KEY, key), 409, "SOLD_OUT", COUPONS + "/" + soldOut + "/claim");
        assertThat(issuedCount(other)).isZero();
    }

    @Test
    void keysThatDifferOnlyInCaseOrAccentThenDifferentClaims() throws Exception {
        long couponId = openCoupon(10, 5);
        long user = newUserId();
        String base = token();
        // a header's bytes are read as ISO-8859-1: "é" (byte E9) is one character, as a client sending it raw has it
        List<String> keys = List.of(base + "abc", base + "ABC", base + "cafe", base + "caf\u00e9");

        Map<String, Long> ids = new LinkedHashMap<>();
        for (String key : keys) {
            RawAnswer response = rawClaim(couponId, user, key);
            assertThat(response.status()).as(key + ": " + response).isEqualTo(201);
            ids.put(key, response.id());
        }
        assertThat(new HashSet<>(ids.values())).hasSize(keys.size());
        assertThat(issuedCount(couponId)).isEqualTo(keys.size());
        // stored as they came, each on its own issue
        ids.forEach((key, id) -> assertThat(jdbc.queryForObject(
                "SELECT idempotency_key FROM issued_coupons WHERE id = ?", String.class, id)).isEqualTo(key));

        // each repeats its own answer, from Redis and, once Redis forgot, from MySQL
        for (String key : keys) {
            assertThat(rawClaim(couponId, user, key).id()).as(key).isEqualTo(ids.get(key));
        }
        keys.forEach(key -> redis.delete("idem:" + user + ":" + key));
        for (String key : keys) {
            assertThat(rawClaim(couponId, user, key).id()).as(key).isEqualTo(ids.get(key));
        }
        assertThat(issuedCount(couponId)).isEqualTo(keys.size());
    }

    private record RawAnswer(int status, String body) {

        long id() {
            try {
                return ApiClient.JSON.readTree(body).path("id").asLong();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * A claim over a plain socket, its key written as ISO-8859-1 bytes: the JDK's HTTP client sends only US-ASCII
     * header values. One request per connection.
     */
    private RawAnswer rawClaim(long couponId, long userId, String key) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            String request = "POST " + COUPONS + "/" + couponId + "/claim HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "X-User-Id: " + userId + "\r\nX-User-Role: SHOPPER\r\n"
                    + "Idempotency-Key: " + key + "\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
            return new RawAnswer(status, answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void sameKeySentByManyThreadsAtOnceThenAllGetTheFirstAnswerAndOneIssue() throws Exception {
        for (int round = 0; round < 5; round++) {
            long couponId = openCoupon(50, 5);
            long user = newUserId();
            String key = token();
            List<ApiClient.Response> answers = all(THREADS, i -> claim(couponId, user, KEY, key));

            Set<Long> ids = new HashSet<>();
            for (ApiClient.Response response : answers) {
                assertThat(response.status()).as("round %d: %s", round, response).isEqualTo(201);
                ids.add(response.json().path("id").asLong());
            }
            assertThat(ids).as("round %d", round).hasSize(1);
            assertThat(issuedCount(couponId)).as("round %d", round).isEqualTo(1);
            assertThat(claim(couponId, user, KEY, key).json().path("id").asLong()).isEqualTo(ids.iterator().next());
        }
    }

    @Test
    void sameKeySentByManyThreadsAtOnceWhileRedisKeepsForgettingItThenOneIssueAndTheFirstAnswer() throws Exception {
        // Redis loses the key's mark (eviction, a restart) again and again, so copies get past it: MySQL's unique key
        // keeps them from issuing twice, and a copy refused the shopper's last slot (held by another copy) waits for
        // that copy's issue instead of answering CLAIM_LIMIT_REACHED
        for (int limit : new int[] {1, 5}) {
            for (int round = 0; round < 5; round++) {
                long couponId = openCoupon(50, limit);
                long user = newUserId();
                String key = token();
                AtomicBoolean forgetting = new AtomicBoolean(true);
                Thread forgetter = new Thread(() -> {
                    while (forgetting.get()) {
                        redis.delete("idem:" + user + ":" + key);
                        Thread.onSpinWait();
                    }
                });
                forgetter.start();
                List<ApiClient.Response> answers;
                try {
                    answers = all(THREADS, i -> claim(couponId, user, KEY, key));
                } finally {
                    forgetting.set(false);
                    forgetter.join();
                }

                Set<Long> ids = new HashSet<>();
                for (ApiClient.Response response : answers) {
                    assertThat(response.status()).as("limit %d, round %d: %s", limit, round, response).isEqualTo(201);
                    ids.add(response.json().path("id").asLong());
                }
                assertThat(ids).as("limit %d, round %d", limit, round).hasSize(1);
                assertThat(issuedCount(couponId)).as("limit %d, round %d", limit, round).isEqualTo(1);
            }
        }
    }

    @Test
    void sameKeySentByManyThreadsAtOnceForTwoCouponsThenOneIssueAndTheOtherCouponKeyReused() throws Exception {
        for (int round = 0; round < 5; round++) {
            long[] couponIds = {openCoupon(50, 5), openCoupon(50, 5)};
            long user = newUserId();
            String key = token();
            List<ApiClient.Response> answers = all(THREADS, i -> claim(couponIds[i % 2], user, KEY, key));

            long issued0 = issuedCount(couponIds[0]);
            long issued1 = issuedCount(couponIds[1]);
            assertThat(issued0 + issued1).as("round %d", round).isEqualTo(1);
            int winner = issued0 == 1 ? 0 : 1;
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < answers.size(); i++) {
                ApiClient.Response response = answers.get(i);
                if (i % 2 == winner) {
                    assertThat(response.status()).as("round %d: %s", round, response).isEqualTo(201);
                    ids.add(response.json().path("id").asLong());
                } else {
                    assertProblem(response, 422, "IDEMPOTENCY_KEY_REUSED",
                            COUPONS + "/" + couponIds[i % 2] + "/claim");
                }
            }
            assertThat(ids).as("round %d", round).hasSize(1);
        }
    }

    private interface Call {
        ApiClient.Response send(int i);
    }

    /** Sends {@code n} calls from as many threads, released together; answers them in order. */
    private static List<ApiClient.Response> all(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<ApiClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return call.send(index);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            start.countDown();
            List<ApiClient.Response> answers = new ArrayList<>();
            for (Future<ApiClient.Response> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
