package dev.couponhub.coupon.claim;

import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.coupon.config.ClaimProperties;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers to claims with an {@code Idempotency-Key}, per user, in Redis. A request first takes the key for its coupon
 * (SET NX, {@code pending:<couponId>}); a concurrent duplicate sees it pending and waits for the answer, a request for
 * another coupon sees whose it is at once. The issued coupon itself also carries the key in MySQL (unique per user),
 * which stays the backstop when Redis forgot. Keys are compared exactly: the Redis key holds the header's characters
 * as they came.
 */
@Component
class IdempotencyStore {

    /**
     * The first answer: a 201 with the issued coupon's id, or an error code and detail; {@code couponId} is the coupon
     * the key was used for (null in answers remembered before it was recorded).
     */
    record Answer(int status, Long issuedCouponId, String code, String detail, Long couponId) {
    }

    /** What Redis holds for a key: nothing, a first request still running (for a coupon), or the first answer. */
    sealed interface State permits Free, Pending, Answered {
    }

    /** Nobody holds the key (or Redis forgot it). */
    record Free() implements State {
    }

    /** The first request is still running; {@code couponId} is null when a request from before it was recorded. */
    record Pending(Long couponId) implements State {
    }

    record Answered(Answer answer) implements State {
    }

    private static final String PENDING = "pending";
    private static final Duration PENDING_TTL = Duration.ofSeconds(30);

    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final ClaimProperties properties;

    IdempotencyStore(StringRedisTemplate redis, ObjectMapper json, ClaimProperties properties) {
        this.redis = redis;
        this.json = json;
        this.properties = properties;
    }

    /** Takes the key for this request on the coupon; answers false if another request holds it or has answered. */
    boolean begin(long userId, String key, long couponId) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(redisKey(userId, key), PENDING + ":" + couponId,
                PENDING_TTL));
    }

    /** What Redis holds for the key now, in one read. */
    State state(long userId, String key) {
        String value = redis.opsForValue().get(redisKey(userId, key));
        if (value == null) {
            return new Free();
        }
        if (value.startsWith(PENDING)) {
            return new Pending(value.length() > PENDING.length() + 1
                    ? Long.valueOf(value.substring(PENDING.length() + 1)) : null);
        }
        try {
            return new Answered(json.readValue(value, Answer.class));
        } catch (JsonProcessingException e) {
            // unreadable: treat it as still pending; the pending time-out or the MySQL backstop decides
            return new Pending(null);
        }
    }

    void remember(long userId, String key, Answer answer) {
        try {
            redis.opsForValue().set(redisKey(userId, key), json.writeValueAsString(answer), properties.idempotencyTtl());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Forgets a pending key after a failure that is not an answer (5xx): the client may retry. */
    void forget(long userId, String key) {
        redis.delete(redisKey(userId, key));
    }

    private static String redisKey(long userId, String key) {
        return "idem:" + userId + ":" + key;
    }
}
