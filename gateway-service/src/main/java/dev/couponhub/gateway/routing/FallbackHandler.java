package dev.couponhub.gateway.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.couponhub.gateway.problem.ProblemWriter;

/**
 * Answers for a route whose circuit breaker caught a failure (connection refused, time-out, open
 * circuit): 503 {@code DEPENDENCY_UNAVAILABLE} naming the service. Only reachable as the circuit
 * breaker's forward target; a client asking for the path directly gets 404.
 */
@Component
class FallbackHandler {

    static final String PATH_PREFIX = "/fallback/";

    private static final Logger log = LoggerFactory.getLogger(FallbackHandler.class);

    private final ProblemWriter problems;

    FallbackHandler(ProblemWriter problems) {
        this.problems = problems;
    }

    Mono<Void> handle(ServerWebExchange exchange, String service) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Backend backend = Backend.byKey(service).orElse(null);
        if (route == null || backend == null) {
            return problems.write(exchange, HttpStatus.NOT_FOUND, "NOT_FOUND", "No resource exists at this path.");
        }
        Throwable cause = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        log.warn("{} unavailable on route {}: {}", backend.serviceName(), route.getId(),
                cause != null ? cause.toString() : "unknown cause");
        return problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "DEPENDENCY_UNAVAILABLE",
                backend.serviceName() + " is unavailable; try again later.");
    }
}
