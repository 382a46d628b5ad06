package dev.couponhub.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.couponhub.gateway.config.RateLimitProperties;

/**
 * One token bucket per caller key, all of one tier, in this process's memory. Taking a token is a cache lookup, a few
 * arithmetic operations and one compare-and-set: no I/O and no lock, where the Redis limiter it replaces cost a
 * network round trip per request.
 *
 * <p>A bucket is kept as a single number, the time at which it will be full again (the "theoretical arrival time"
 * of the generic cell rate algorithm): each request pushes it one token interval further; a request that would push
 * it more than the burst ahead of now is refused and changes nothing. This is exactly a token bucket of
 * {@code burstCapacity} tokens refilled at {@code replenishRate} a second, starting full.
 *
 * <p>Memory stays bounded: a bucket idle for {@link RateLimitProperties.Tier#timeToFill()} is full again, the same as
 * no bucket, so it is dropped then; and at most {@code maxBuckets} are kept (Caffeine drops the least used first).
 *
 * <p>Time comes from a {@link Ticker} (monotonic nanoseconds) rather than the wall clock, which may jump; tests pass
 * one they move by hand.
 */
final class TokenBuckets {

    private final RateLimitProperties.Tier tier;
    private final long interval;
    private final long capacity;
    private final Ticker ticker;
    private final Cache<String, AtomicLong> buckets;
    private final Function<String, AtomicLong> newBucket;

    /**
     * @param tier the rate and burst of every bucket here (already this instance's share)
     * @param maxBuckets how many buckets are kept at most
     * @param ticker the time source, also for dropping idle buckets
     * @param maintenance where Caffeine does its housekeeping ({@code Runnable::run} in tests, to make it immediate)
     */
    TokenBuckets(RateLimitProperties.Tier tier, long maxBuckets, Ticker ticker, Executor maintenance) {
        this.tier = tier;
        this.interval = tier.tokenIntervalNanos();
        this.capacity = interval * tier.burstCapacity();
        this.ticker = ticker;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(tier.timeToFill())
                .maximumSize(maxBuckets)
                .ticker(ticker)
                .executor(maintenance)
                .build();
        // a full bucket: it is full again "now"
        this.newBucket = key -> new AtomicLong(ticker.read());
    }

    RateLimitProperties.Tier tier() {
        return tier;
    }

    /** Takes one token from the caller's bucket, if it holds one. */
    Decision take(String key) {
        AtomicLong fullAt = buckets.getIfPresent(key);
        if (fullAt == null) {
            fullAt = buckets.get(key, newBucket);
        }
        long now = ticker.read();
        while (true) {
            long current = fullAt.get();
            // max(current, now), written so that it survives the ticker's values wrapping around
            long base = current - now > 0 ? current : now;
            long next = base + interval;
            long ahead = next - now;
            if (ahead > capacity) {
                return new Decision(false, 0, Duration.ofNanos(ahead - capacity));
            }
            if (fullAt.compareAndSet(current, next)) {
                return new Decision(true, (capacity - ahead) / interval, Duration.ZERO);
            }
        }
    }

    /** Whether the caller's bucket holds a token now, without taking it (no bucket: a full one). */
    Decision peek(String key) {
        AtomicLong fullAt = buckets.getIfPresent(key);
        if (fullAt == null) {
            return new Decision(true, tier.burstCapacity(), Duration.ZERO);
        }
        long now = ticker.read();
        long current = fullAt.get();
        long base = current - now > 0 ? current : now;
        long ahead = base + interval - now;
        return ahead > capacity
                ? new Decision(false, 0, Duration.ofNanos(ahead - capacity))
                : new Decision(true, (capacity - ahead) / interval + 1, Duration.ZERO);
    }

    /** How many buckets are kept right now, after dropping those due (for tests). */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    /**
     * The answer for one request.
     *
     * @param allowed whether the request may pass
     * @param remaining tokens left in the bucket after this request
     * @param retryAfter when refused, how long until the bucket holds a token again; zero when allowed
     */
    record Decision(boolean allowed, long remaining, Duration retryAfter) {

        private static final long NANOS_PER_SECOND = Duration.ofSeconds(1).toNanos();

        /** {@link #retryAfter} for the {@code Retry-After} header: whole seconds, rounded up, at least 1. */
        long retryAfterSeconds() {
            long nanos = retryAfter.toNanos();
            return Math.max(1, nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1));
        }
    }
}
