package dev.couponhub.gateway.problem;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Turns every exception that escapes the gateway's handlers and filters into a problem response.
 * Runs before Spring Boot's default handler; no stack trace or exception message reaches the client.
 */
@Component
@Order(-2)
class ProblemErrorWebExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorWebExceptionHandler.class);

    private final ProblemWriter problems;

    ProblemErrorWebExceptionHandler(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        GatewayError error = GatewayError.of(ex);
        if (error.unexpected()) {
            log.error("Unexpected error for {} {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getURI().getRawPath(), ex);
        }
        else if (error.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            log.warn("Dependency unavailable for {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getURI().getRawPath(), ex.toString());
        }
        HttpHeaders responseHeaders = exchange.getResponse().getHeaders();
        error.headers().forEach(responseHeaders::put);
        if (error.status() == HttpStatus.BAD_REQUEST) {
            return problems.write(exchange, error.status(), error.code(), error.detail(),
                    problem -> problem.setProperty("errors", List.of()));
        }
        return problems.write(exchange, error.status(), error.code(), error.detail());
    }
}
