package dev.couponhub.gateway.ratelimit;

import java.net.InetSocketAddress;

import org.springframework.cloud.gateway.support.ipresolver.XForwardedRemoteAddressResolver;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.couponhub.gateway.config.RateLimitProperties;

/**
 * The address a request comes from, as far as the gateway can trust it: the TCP peer, or with
 * {@code trusted-proxy-hops} n above 0 the n-th entry of {@code X-Forwarded-For} counted from the right (the one the
 * outermost trusted proxy appended); entries a client wrote itself are to the left of those and never read.
 */
@Component
public class ClientAddress {

    private final XForwardedRemoteAddressResolver forwardedResolver;

    public ClientAddress(RateLimitProperties properties) {
        this.forwardedResolver = properties.trustedProxyHops() > 0
                ? XForwardedRemoteAddressResolver.maxTrustedIndex(properties.trustedProxyHops())
                : null;
    }

    /** The client's address as text, or {@code unknown}. */
    public String of(ServerWebExchange exchange) {
        InetSocketAddress address = forwardedResolver != null
                ? forwardedResolver.resolve(exchange)
                : exchange.getRequest().getRemoteAddress();
        if (address == null) {
            return "unknown";
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }
}
