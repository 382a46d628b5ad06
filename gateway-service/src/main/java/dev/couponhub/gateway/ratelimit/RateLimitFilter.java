package dev.couponhub.gateway.ratelimit;

import java.util.concurrent.ForkJoinPool;

import com.github.benmanes.caffeine.cache.Ticker;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.couponhub.gateway.auth.AuthenticationFilter;
import dev.couponhub.gateway.auth.CallerIdentity;
import dev.couponhub.gateway.auth.PartnerIdentity;
import dev.couponhub.gateway.config.RateLimitProperties;
import dev.couponhub.gateway.problem.ProblemWriter;

/**
 * Per-caller rate limit with an in-memory token bucket per caller ({@link TokenBuckets}). The bucket key is
 * {@code user:<id>} for an authenticated caller and {@code ip:<client address>} otherwise; both tiers have their own
 * rate. Over the limit the answer is 429 {@code RATE_LIMITED} with {@code Retry-After}. Every routed answer carries
 * the {@code X-RateLimit-*} headers Spring Cloud Gateway's rate limiter used to send, describing this instance's
 * bucket (its share of the tier when {@code couponhub.gateway.rate-limit.instances} is above 1, see
 * {@link RateLimitProperties}).
 *
 * <p>Nothing here waits for I/O, so there is nothing to time out and nothing to fail open.
 */
@Component
class RateLimitFilter implements GlobalFilter, Ordered {

    static final int ORDER = AuthenticationFilter.ORDER + 100;

    static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    static final String REPLENISH_RATE_HEADER = "X-RateLimit-Replenish-Rate";
    static final String BURST_CAPACITY_HEADER = "X-RateLimit-Burst-Capacity";
    static final String REQUESTED_TOKENS_HEADER = "X-RateLimit-Requested-Tokens";

    private final boolean enabled;
    private final TokenBuckets authenticated;
    private final TokenBuckets partners;
    private final TokenBuckets anonymous;
    private final ClientAddress clientAddress;
    private final ProblemWriter problems;

    RateLimitFilter(RateLimitProperties properties, ClientAddress clientAddress, ProblemWriter problems) {
        this.enabled = properties.enabled();
        this.authenticated = new TokenBuckets(properties.authenticated().perInstance(properties.instances()),
                properties.maxBuckets(), Ticker.systemTicker(), ForkJoinPool.commonPool());
        this.partners = new TokenBuckets(properties.partner().perInstance(properties.instances()),
                properties.maxBuckets(), Ticker.systemTicker(), ForkJoinPool.commonPool());
        this.anonymous = new TokenBuckets(properties.anonymous().perInstance(properties.instances()),
                properties.maxBuckets(), Ticker.systemTicker(), ForkJoinPool.commonPool());
        this.problems = problems;
        this.clientAddress = clientAddress;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!enabled) {
            return chain.filter(exchange);
        }
        CallerIdentity caller = exchange.getAttribute(CallerIdentity.ATTRIBUTE);
        PartnerIdentity partner = exchange.getAttribute(PartnerIdentity.ATTRIBUTE);
        TokenBuckets buckets = caller != null ? authenticated : partner != null ? partners : anonymous;
        String key = caller != null ? "user:" + caller.userId()
                : partner != null ? "key:" + partner.keyId() : "ip:" + clientAddress.of(exchange);
        TokenBuckets.Decision decision = buckets.take(key);

        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set(REMAINING_HEADER, Long.toString(decision.remaining()));
        headers.set(REPLENISH_RATE_HEADER, Integer.toString(buckets.tier().replenishRate()));
        headers.set(BURST_CAPACITY_HEADER, Integer.toString(buckets.tier().burstCapacity()));
        headers.set(REQUESTED_TOKENS_HEADER, "1");
        if (decision.allowed()) {
            return chain.filter(exchange);
        }
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED",
                "Too many requests from this caller; retry after the time in Retry-After.");
    }
}
