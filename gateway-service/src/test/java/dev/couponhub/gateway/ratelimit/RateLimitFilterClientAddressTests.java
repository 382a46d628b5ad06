package dev.couponhub.gateway.ratelimit;

import java.net.InetSocketAddress;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.couponhub.gateway.config.RateLimitProperties;
import dev.couponhub.gateway.problem.ProblemWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which address an anonymous caller's bucket is keyed by. Behind the AWS load balancer ({@code trusted-proxy-hops}
 * 1, set by Terraform) the balancer appends the address it saw to {@code X-Forwarded-For}: that last entry is the
 * key, and whatever the client itself put in the header before it changes nothing. With no proxy trusted (0, the
 * default) the TCP peer is the key and the header is ignored.
 */
class RateLimitFilterClientAddressTests {

    private static final int BURST = 2;
    private static final InetSocketAddress LOAD_BALANCER = new InetSocketAddress("10.0.1.20", 40000);

    private static RateLimitFilter filter(int trustedProxyHops) {
        RateLimitProperties properties = new RateLimitProperties(true, null, null,
                new RateLimitProperties.Tier(1, BURST), null, trustedProxyHops, 1, 1000);
        return new RateLimitFilter(properties, new ClientAddress(properties), new ProblemWriter(new ObjectMapper()));
    }

    private static HttpStatus answer(RateLimitFilter filter, InetSocketAddress peer, String forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/api/v1/auth/login")
                .remoteAddress(peer);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        GatewayFilterChain passed = routed -> {
            routed.getResponse().setStatusCode(HttpStatus.OK);
            return Mono.empty();
        };
        filter.filter(exchange, passed).block();
        return HttpStatus.valueOf(exchange.getResponse().getStatusCode().value());
    }

    @Test
    void behindTheLoadBalancerThenClientSentForwardedForNeverChangesTheKey() {
        RateLimitFilter filter = filter(1);
        for (int i = 0; i < BURST; i++) {
            assertThat(answer(filter, LOAD_BALANCER, "198.51.100." + i + ", 203.0.113.7")).isEqualTo(HttpStatus.OK);
        }
        assertThat(answer(filter, LOAD_BALANCER, "198.51.100.99, 203.0.113.7"))
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(answer(filter, LOAD_BALANCER, "198.51.100.1, 198.51.100.2, 203.0.113.7"))
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void behindTheLoadBalancerThenTheAddressItAppendsIsTheKey() {
        RateLimitFilter filter = filter(1);
        for (int i = 0; i < BURST * 5; i++) {
            // one load balancer, many clients: each has its own bucket
            assertThat(answer(filter, LOAD_BALANCER, "198.51.100.1, 203.0.113." + i)).isEqualTo(HttpStatus.OK);
        }
    }

    @Test
    void noProxyTrustedThenTheTcpPeerIsTheKeyWhateverTheHeaderSays() {
        RateLimitFilter filter = filter(0);
        InetSocketAddress client = new InetSocketAddress("203.0.113.7", 50000);
        for (int i = 0; i < BURST; i++) {
            assertThat(answer(filter, client, "198.51.100." + i)).isEqualTo(HttpStatus.OK);
        }
        assertThat(answer(filter, client, "198.51.100.50")).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(answer(filter, new InetSocketAddress("203.0.113.8", 50000), null)).isEqualTo(HttpStatus.OK);
    }
}
