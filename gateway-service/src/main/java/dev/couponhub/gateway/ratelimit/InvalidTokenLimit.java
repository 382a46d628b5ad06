package dev.couponhub.gateway.ratelimit;

import java.util.concurrent.ForkJoinPool;

import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.couponhub.gateway.config.RateLimitProperties;

/**
 * How many tokens that turned out invalid a client address may send: each costs the gateway a signature check, and
 * the per-user rate limit cannot count a request whose user is unknown. A request with a token is checked here
 * before its token is verified; a token found invalid (malformed, forged, expired, revoked) takes one from the
 * address's bucket ({@code couponhub.gateway.rate-limit.invalid-tokens}). Valid tokens cost nothing here, so many
 * users behind one address are not slowed by each other.
 */
@Component
public class InvalidTokenLimit {

    private final boolean enabled;
    private final TokenBuckets buckets;
    private final ClientAddress clientAddress;

    @Autowired
    public InvalidTokenLimit(RateLimitProperties properties, ClientAddress clientAddress) {
        this(properties, clientAddress, Ticker.systemTicker());
    }

    InvalidTokenLimit(RateLimitProperties properties, ClientAddress clientAddress, Ticker ticker) {
        this.enabled = properties.enabled();
        this.buckets = new TokenBuckets(properties.invalidTokens().perInstance(properties.instances()),
                properties.maxBuckets(), ticker, ForkJoinPool.commonPool());
        this.clientAddress = clientAddress;
    }

    /**
     * Whether the request's token may be checked; when not, the whole seconds until it may be, else 0.
     */
    public long secondsUntilAllowed(ServerWebExchange exchange) {
        if (!enabled) {
            return 0;
        }
        TokenBuckets.Decision decision = buckets.peek(key(exchange));
        return decision.allowed() ? 0 : decision.retryAfterSeconds();
    }

    /** The request's token was invalid: counts against its address. */
    public void invalid(ServerWebExchange exchange) {
        if (enabled) {
            buckets.take(key(exchange));
        }
    }

    private String key(ServerWebExchange exchange) {
        return "ip:" + clientAddress.of(exchange);
    }
}
