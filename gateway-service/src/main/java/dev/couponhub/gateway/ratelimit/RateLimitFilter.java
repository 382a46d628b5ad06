package dev.couponhub.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.cloud.gateway.support.ipresolver.XForwardedRemoteAddressResolver;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.couponhub.gateway.auth.AuthenticationFilter;
import dev.couponhub.gateway.auth.CallerIdentity;
import dev.couponhub.gateway.config.RateLimitProperties;
import dev.couponhub.gateway.problem.ProblemWriter;

/**
 * Per-caller rate limit with Spring Cloud Gateway's Redis token bucket. The bucket key is
 * {@code user:<id>} for an authenticated caller and {@code ip:<client address>} otherwise; both tiers
 * have their own rate. Over the limit the answer is 429 {@code RATE_LIMITED} with {@code Retry-After}.
 * When Redis cannot be reached within {@code couponhub.gateway.rate-limit.timeout}, the request is let
 * through (fail open) and a warning is logged at most every 30 seconds.
 */
@Component
class RateLimitFilter implements GlobalFilter, Ordered {

    static final int ORDER = AuthenticationFilter.ORDER + 100;
    static final String AUTHENTICATED_TIER = "authenticated";
    static final String ANONYMOUS_TIER = "anonymous";

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final long WARNING_INTERVAL_MILLIS = Duration.ofSeconds(30).toMillis();

    private final RedisRateLimiter rateLimiter;
    private final RateLimitProperties properties;
    private final XForwardedRemoteAddressResolver forwardedResolver;
    private final ProblemWriter problems;
    private final Clock clock;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);

    RateLimitFilter(RedisRateLimiter rateLimiter, RateLimitProperties properties, ProblemWriter problems,
                    Clock clock) {
        this.rateLimiter = rateLimiter;
        this.properties = properties;
        this.problems = problems;
        this.clock = clock;
        this.forwardedResolver = properties.trustedProxyHops() > 0
                ? XForwardedRemoteAddressResolver.maxTrustedIndex(properties.trustedProxyHops())
                : null;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!properties.enabled()) {
            return chain.filter(exchange);
        }
        CallerIdentity caller = exchange.getAttribute(CallerIdentity.ATTRIBUTE);
        String tier = caller != null ? AUTHENTICATED_TIER : ANONYMOUS_TIER;
        String key = caller != null ? "user:" + caller.userId() : "ip:" + clientAddress(exchange);
        return rateLimiter.isAllowed(tier, key)
                .timeout(properties.timeout())
                .onErrorResume(e -> {
                    warnFailOpen(e.toString());
                    return Mono.just(new RateLimiter.Response(true, Map.of()));
                })
                .flatMap(response -> {
                    String remaining = response.getHeaders().get(RedisRateLimiter.REMAINING_HEADER);
                    if ("-1".equals(remaining)) {
                        // RedisRateLimiter answers "allowed, -1 left" when its script failed
                        warnFailOpen("Redis script failed");
                        return chain.filter(exchange);
                    }
                    HttpHeaders responseHeaders = exchange.getResponse().getHeaders();
                    response.getHeaders().forEach(responseHeaders::set);
                    if (response.isAllowed()) {
                        return chain.filter(exchange);
                    }
                    responseHeaders.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(tier)));
                    return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED",
                            "Too many requests from this caller; retry after the time in Retry-After.");
                });
    }

    /** Time until the bucket holds a token again, rounded up to whole seconds (at least 1). */
    private long retryAfterSeconds(String tier) {
        RateLimitProperties.Tier limits = AUTHENTICATED_TIER.equals(tier)
                ? properties.authenticated()
                : properties.anonymous();
        return Math.max(1, (long) Math.ceil(1.0 / limits.replenishRate()));
    }

    private String clientAddress(ServerWebExchange exchange) {
        InetSocketAddress address = forwardedResolver != null
                ? forwardedResolver.resolve(exchange)
                : exchange.getRequest().getRemoteAddress();
        if (address == null) {
            return "unknown";
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    private void warnFailOpen(String cause) {
        long now = clock.millis();
        long last = lastWarning.get();
        if ((last == Long.MIN_VALUE || now - last >= WARNING_INTERVAL_MILLIS) && lastWarning.compareAndSet(last, now)) {
            log.warn("Rate limiter unavailable, letting requests through without a limit (fail open): {}", cause);
        }
    }
}
