package dev.couponhub.gateway.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.couponhub.gateway.config.RateLimitProperties;
import dev.couponhub.gateway.config.RateLimitProperties.Tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The in-memory token bucket, on a clock the test moves by hand: burst, refill, one bucket per key, memory bounds,
 * and each instance's share of a tier.
 */
class TokenBucketsTests {

    private static final Tier AUTHENTICATED = new Tier(50, 100);

    /** Nanoseconds, starting far from zero so that nothing depends on the ticker's origin. */
    private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - Duration.ofMinutes(1).toNanos());
    private final Ticker ticker = nanos::get;

    private TokenBuckets buckets(Tier tier) {
        return buckets(tier, 1_000);
    }

    private TokenBuckets buckets(Tier tier, long maxBuckets) {
        return new TokenBuckets(tier, maxBuckets, ticker, Runnable::run);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static int allowedOf(TokenBuckets buckets, String key, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (buckets.take(key).allowed()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void newCallerThenTheWholeBurstPassesAtOnceAndNoMore() {
        TokenBuckets buckets = buckets(AUTHENTICATED);

        List<TokenBuckets.Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            decisions.add(buckets.take("user:1"));
        }

        assertThat(decisions.subList(0, 100)).allMatch(TokenBuckets.Decision::allowed);
        assertThat(decisions.get(0).remaining()).isEqualTo(99);
        assertThat(decisions.get(99).remaining()).isZero();
        TokenBuckets.Decision refused = decisions.get(100);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(20));
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void emptyBucketThenRefilledAtTheReplenishRate() {
        TokenBuckets buckets = buckets(AUTHENTICATED);
        allowedOf(buckets, "user:1", 100);

        advance(Duration.ofMillis(19));
        assertThat(buckets.take("user:1").allowed()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(buckets.take("user:1").allowed()).isTrue();
        assertThat(buckets.take("user:1").allowed()).isFalse();

        advance(Duration.ofSeconds(1));
        assertThat(allowedOf(buckets, "user:1", 100)).isEqualTo(50);
    }

    @Test
    void refusedRequestsThenTakeNothingFromTheBucket() {
        TokenBuckets buckets = buckets(AUTHENTICATED);
        allowedOf(buckets, "user:1", 100);
        allowedOf(buckets, "user:1", 1_000);

        advance(Duration.ofMillis(100));

        assertThat(allowedOf(buckets, "user:1", 10)).isEqualTo(5);
    }

    @Test
    void idleCallerThenRefilledUpToTheBurstOnly() {
        TokenBuckets buckets = buckets(AUTHENTICATED);
        allowedOf(buckets, "user:1", 100);

        advance(Duration.ofMinutes(10));

        assertThat(allowedOf(buckets, "user:1", 1_000)).isEqualTo(100);
    }

    @Test
    void steadyCallerAtTheRateThenNeverRefused() {
        TokenBuckets buckets = buckets(new Tier(20, 20));
        allowedOf(buckets, "ip:10.0.0.1", 20);

        for (int i = 0; i < 200; i++) {
            advance(Duration.ofMillis(50));
            assertThat(buckets.take("ip:10.0.0.1").allowed()).as("request %d", i).isTrue();
        }
    }

    @Test
    void eachKeyThenItsOwnBucket() {
        TokenBuckets buckets = buckets(AUTHENTICATED);
        allowedOf(buckets, "user:1", 100);

        assertThat(buckets.take("user:1").allowed()).isFalse();
        assertThat(allowedOf(buckets, "user:2", 100)).isEqualTo(100);
        assertThat(buckets.take("ip:10.0.0.1").allowed()).isTrue();
    }

    @Test
    void refusedThenRetryAfterIsTheTimeUntilTheNextToken() {
        TokenBuckets buckets = buckets(new Tier(1, 2));
        allowedOf(buckets, "user:1", 2);

        TokenBuckets.Decision refused = buckets.take("user:1");
        advance(Duration.ofMillis(400));
        TokenBuckets.Decision stillRefused = buckets.take("user:1");

        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(stillRefused.retryAfter()).isEqualTo(Duration.ofMillis(600));
        assertThat(stillRefused.retryAfterSeconds()).isEqualTo(1);
        advance(stillRefused.retryAfter());
        assertThat(buckets.take("user:1").allowed()).isTrue();
    }

    @Test
    void bucketIdleUntilFullThenDroppedAndABusyOneKept() {
        TokenBuckets buckets = buckets(AUTHENTICATED);
        buckets.take("user:idle");
        allowedOf(buckets, "user:busy", 100);

        for (int i = 0; i < 4; i++) {
            advance(AUTHENTICATED.timeToFill().dividedBy(2));
            buckets.take("user:busy");
        }

        assertThat(buckets.size()).isEqualTo(1);
        // kept, not replaced by a full one: the token just taken is still missing
        assertThat(allowedOf(buckets, "user:busy", 1_000)).isEqualTo(99);
    }

    @Test
    void floodOfDistinctCallersThenBucketsBounded() {
        TokenBuckets buckets = buckets(AUTHENTICATED, 100);

        for (int i = 0; i < 10_000; i++) {
            buckets.take("ip:10.0." + (i / 256) + "." + (i % 256));
        }

        assertThat(buckets.size()).isLessThanOrEqualTo(100);
    }

    @ParameterizedTest
    @CsvSource({
            // instances, authenticated rate / burst, anonymous rate / burst on each instance
            "1, 50, 100, 20, 40",
            "2, 25, 50, 10, 20",
            "3, 17, 34, 7, 14",
            "4, 13, 25, 5, 10",
            "60, 1, 2, 1, 1",
            "1000, 1, 1, 1, 1"})
    void severalInstancesThenEachEnforcesItsShareRoundedUp(int instances, int authRate, int authBurst,
                                                          int anonRate, int anonBurst) {
        RateLimitProperties properties = new RateLimitProperties(true, null, null, null, null, 0, instances, 1_000);

        assertThat(properties.authenticated().perInstance(instances)).isEqualTo(new Tier(authRate, authBurst));
        assertThat(properties.anonymous().perInstance(instances)).isEqualTo(new Tier(anonRate, anonBurst));
    }

    @Test
    void twoInstancesBehindRoundRobinThenTheFleetAllowsTheTierBurstAndRate() {
        Tier share = AUTHENTICATED.perInstance(2);
        List<TokenBuckets> fleet = List.of(buckets(share), buckets(share));

        int burst = 0;
        for (int i = 0; i < 300; i++) {
            if (fleet.get(i % 2).take("user:1").allowed()) {
                burst++;
            }
        }
        advance(Duration.ofSeconds(1));
        int nextSecond = 0;
        for (int i = 0; i < 300; i++) {
            if (fleet.get(i % 2).take("user:1").allowed()) {
                nextSecond++;
            }
        }

        assertThat(burst).isEqualTo(100);
        assertThat(nextSecond).isEqualTo(50);
    }

    @Test
    void callerOnOneInstanceOfTwoThenGetsThatInstancesShareOnly() {
        TokenBuckets oneOfTwo = buckets(AUTHENTICATED.perInstance(2));

        assertThat(allowedOf(oneOfTwo, "user:1", 300)).isEqualTo(50);
        advance(Duration.ofSeconds(1));
        assertThat(allowedOf(oneOfTwo, "user:1", 300)).isEqualTo(25);
    }

    @Test
    void invalidSettingsThenRefusedAtStartUp() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitProperties(true, null, null, null, null, 0, 0, 1_000));
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitProperties(true, null, null, null, null, 0, 1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new Tier(0, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new Tier(10, 9));
        assertThatIllegalArgumentException().isThrownBy(() -> AUTHENTICATED.perInstance(0));
    }
}
