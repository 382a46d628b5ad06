package dev.couponhub.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token buckets per caller, kept in each gateway instance's memory: a Redis round trip per request cost more CPU
 * than the rest of the rate limit, and the limit is a protection against floods, not an exact quota.
 *
 * <p><b>Several instances.</b> Each instance enforces its share of every tier: rate and burst divided by
 * {@code instances}, rounded up, at least 1 ({@link Tier#perInstance(int)}). The load balancer in front (the AWS
 * load balancer, round robin per request) spreads one caller's requests evenly, so the fleet as a whole lets through
 * the tier's rate and burst. The tolerance is the rounding up and the spread:
 * <ul>
 * <li>a caller whose requests all land on one instance gets that instance's share only ({@code limit / instances});
 * </li>
 * <li>while more instances run than {@code instances} says (autoscaling), a caller spread over all of them gets up to
 * {@code running / instances} times the limit; while fewer run, proportionally less;</li>
 * <li>rounding up adds at most {@code instances - 1} requests a second, and as much burst, across the fleet.</li>
 * </ul>
 * With the default {@code instances = 1} the limit of one gateway is exact.
 *
 * @param enabled switch rate limiting off entirely
 * @param authenticated bucket of a signed-in caller (key {@code user:<id>}); default 50/s, burst 100
 * @param partner bucket of a store's API key (key {@code key:<id>}); default 50/s, burst 100
 * @param anonymous bucket of an anonymous caller (key {@code ip:<address>}); default 20/s, burst 40
 * @param invalidTokens bucket of a client address for tokens that turn out invalid, checked before a token is verified
 *        (key {@code ip:<address>}); default 5/s, burst 20
 * @param trustedProxyHops how many proxies in front of the gateway append to {@code X-Forwarded-For};
 *        0 (default) uses the TCP peer address, which a client cannot forge
 * @param instances how many gateway instances share the load (round robin); each enforces {@code 1/instances} of
 *        every tier (see above). Default 1
 * @param maxBuckets how many callers' buckets each tier keeps at most, which bounds the memory (about 200 bytes a
 *        bucket). A bucket is dropped once it has been idle long enough to be full again, so this bound matters only
 *        under a flood of distinct callers; then the least used buckets go first, and a caller whose bucket was
 *        dropped starts again with a full one
 */
@ConfigurationProperties("couponhub.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        Tier authenticated,
        Tier partner,
        Tier anonymous,
        Tier invalidTokens,
        @DefaultValue("0") int trustedProxyHops,
        @DefaultValue("1") int instances,
        @DefaultValue("100000") long maxBuckets) {

    public RateLimitProperties {
        authenticated = authenticated != null ? authenticated : new Tier(50, 100);
        partner = partner != null ? partner : new Tier(50, 100);
        anonymous = anonymous != null ? anonymous : new Tier(20, 40);
        invalidTokens = invalidTokens != null ? invalidTokens : new Tier(5, 20);
        if (trustedProxyHops < 0) {
            throw new IllegalArgumentException("couponhub.gateway.rate-limit.trusted-proxy-hops must not be negative");
        }
        if (instances < 1) {
            throw new IllegalArgumentException("couponhub.gateway.rate-limit.instances must be at least 1, was " + instances);
        }
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("couponhub.gateway.rate-limit.max-buckets must be at least 1, was " + maxBuckets);
        }
    }

    /**
     * @param replenishRate tokens added per second
     * @param burstCapacity bucket size, at least the replenish rate
     */
    public record Tier(int replenishRate, int burstCapacity) {

        private static final long NANOS_PER_SECOND = Duration.ofSeconds(1).toNanos();

        public Tier {
            if (replenishRate < 1) {
                throw new IllegalArgumentException("replenish-rate must be at least 1, was " + replenishRate);
            }
            if (burstCapacity < replenishRate) {
                throw new IllegalArgumentException(
                        "burst-capacity (" + burstCapacity + ") must be at least replenish-rate (" + replenishRate + ")");
            }
        }

        /**
         * This tier's share on one of {@code instances} gateway instances: rate and burst divided, rounded up so that
         * the fleet never allows less than the tier, and at least 1 so that every instance lets a caller through.
         */
        public Tier perInstance(int instances) {
            if (instances < 1) {
                throw new IllegalArgumentException("instances must be at least 1, was " + instances);
            }
            return new Tier(ceilDiv(replenishRate, instances), ceilDiv(burstCapacity, instances));
        }

        /** Time between two tokens. */
        public long tokenIntervalNanos() {
            return NANOS_PER_SECOND / replenishRate;
        }

        /** How long an empty bucket takes to fill up completely. */
        public Duration timeToFill() {
            return Duration.ofNanos(tokenIntervalNanos() * burstCapacity);
        }

        private static int ceilDiv(int dividend, int divisor) {
            return -Math.floorDiv(-dividend, divisor);
        }
    }
}
