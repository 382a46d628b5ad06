package dev.couponhub.gateway.problem;

import java.net.URI;
import java.util.Locale;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes the gateway's own error responses as {@code application/problem+json} (RFC 9457) with the
 * {@code code} extension member used across Couponhub.
 */
@Component
public class ProblemWriter {

    /** Exchange attribute holding the raw path the client asked for, before any rewrite or forward. */
    public static final String ORIGINAL_PATH_ATTRIBUTE = ProblemWriter.class.getName() + ".originalPath";

    private static final String TYPE_BASE = "https://couponhub.dev/problems/";

    private final ObjectMapper objectMapper;

    public ProblemWriter(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String code, String detail) {
        return write(exchange, status, code, detail, problem -> { });
    }

    public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String code, String detail,
                            Consumer<ProblemDetail> customizer) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        ProblemDetail problem = problem(status, code, detail, instancePath(exchange));
        customizer.accept(problem);
        byte[] body;
        try {
            body = objectMapper.writeValueAsBytes(problem);
        }
        catch (JsonProcessingException e) {
            return Mono.error(new IllegalStateException("Cannot serialize problem", e));
        }
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    public static ProblemDetail problem(HttpStatus status, String code, String detail, String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle(status.getReasonPhrase());
        if (instance != null) {
            problem.setInstance(URI.create(instance));
        }
        problem.setProperty("code", code);
        return problem;
    }

    private static String instancePath(ServerWebExchange exchange) {
        String original = exchange.getAttribute(ORIGINAL_PATH_ATTRIBUTE);
        String path = original != null ? original : exchange.getRequest().getURI().getRawPath();
        if (path == null || path.isEmpty()) {
            return null;
        }
        try {
            return URI.create(path).toString();
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }
}
