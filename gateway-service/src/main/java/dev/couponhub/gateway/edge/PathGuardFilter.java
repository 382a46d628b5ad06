package dev.couponhub.gateway.edge;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.couponhub.gateway.problem.ProblemWriter;

/**
 * Rejects request paths that a backend could resolve differently from the gateway's route matching:
 * dot segments ({@code ..}, {@code .}), path parameters ({@code ;}), backslashes, empty segments and
 * percent-encoded dots, slashes, backslashes, semicolons, percent signs or NULs. Without this,
 * {@code /api/v1/users/../../actuator/env} would match the users route and reach the service's actuator.
 */
@Component
class PathGuardFilter implements WebFilter, Ordered {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private static final List<String> FORBIDDEN_SEQUENCES =
            List.of("%2e", "%2f", "%5c", "%3b", "%25", "%00", "\\", ";", "//");

    private final ProblemWriter problems;

    PathGuardFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String rawPath = exchange.getRequest().getURI().getRawPath();
        exchange.getAttributes().put(ProblemWriter.ORIGINAL_PATH_ATTRIBUTE, rawPath);
        if (isAmbiguous(rawPath)) {
            return problems.write(exchange, HttpStatus.BAD_REQUEST, "VALIDATION_FAILED",
                    "The request path is not in canonical form.",
                    problem -> problem.setProperty("errors", List.of(Map.of("field", "path", "message",
                            "must not contain dot segments, empty segments, path parameters, backslashes "
                                    + "or encoded dots, slashes or percent signs"))));
        }
        return chain.filter(exchange);
    }

    static boolean isAmbiguous(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return false;
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        for (String sequence : FORBIDDEN_SEQUENCES) {
            if (lower.contains(sequence)) {
                return true;
            }
        }
        for (String segment : lower.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
