package dev.couponhub.coupon.claim;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.coupon.config.ClaimProperties;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers to claims with an {@code Idempotency-Key}, per user, in Redis. A request first takes the key (SET NX,
 * "pending"); a concurrent duplicate sees it pending and waits for the answer. The issued coupon itself also carries
 * the key in MySQL (unique per user), which stays the backstop when Redis forgot.
 */
@Component
class IdempotencyStore {

    /** The first answer: a 201 with the issued coupon's id, or an error code and detail. */
    record Answer(int status, Long issuedCouponId, String code, String detail) {
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

    /** Takes the key for this request; answers false if another request holds it or has answered. */
    boolean begin(long userId, String key) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(redisKey(userId, key), PENDING, PENDING_TTL));
    }

    /** The stored answer, empty while the first request is still pending or when there is none. */
    Optional<Answer> answer(long userId, String key) {
        String value = redis.opsForValue().get(redisKey(userId, key));
        if (value == null || PENDING.equals(value)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(value, Answer.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    boolean isPending(long userId, String key) {
        return PENDING.equals(redis.opsForValue().get(redisKey(userId, key)));
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
