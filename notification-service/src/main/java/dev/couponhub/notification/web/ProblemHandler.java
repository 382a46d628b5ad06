package dev.couponhub.notification.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Turns every error into RFC 9457 problem+json with the stable {@code code} field of API.md.
 * Unexpected failures are logged here and answered without any internal detail.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final Map<Integer, String> CODES = Map.of(
            400, "VALIDATION_FAILED", 401, "UNAUTHORIZED", 403, "FORBIDDEN", 404, "NOT_FOUND",
            405, "METHOD_NOT_ALLOWED", 406, "NOT_ACCEPTABLE", 415, "UNSUPPORTED_MEDIA_TYPE",
            429, "RATE_LIMITED", 503, "DEPENDENCY_UNAVAILABLE");

    static ProblemDetail problem(HttpStatusCode status, String code, String detail, @Nullable String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://couponhub.dev/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-')));
        HttpStatus known = HttpStatus.resolve(status.value());
        problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
        if (path != null) {
            problem.setInstance(URI.create(path));
        }
        problem.setProperty("code", code);
        return problem;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException ex, ServerWebExchange exchange) {
        ProblemDetail body = problem(ex.code().status(), ex.code().name(), ex.getMessage(),
                exchange.getRequest().getPath().value());
        if (!ex.errors().isEmpty()) {
            body.setProperty("errors", ex.errors());
        }
        return ResponseEntity.status(ex.code().status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex, ServerWebExchange exchange) {
        log.error("Unexpected error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        return ResponseEntity.internalServerError()
                .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR",
                        "An unexpected error occurred.", exchange.getRequest().getPath().value()));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED",
                "The request has invalid fields.", exchange.getRequest().getPath().value());
        body.setProperty("errors", errors);
        return Mono.just(ResponseEntity.badRequest().body(body));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        return Mono.just(ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED",
                "The request is missing a value or is not valid JSON.", exchange.getRequest().getPath().value())));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, @Nullable Object body,
            @Nullable HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        String detail = body instanceof ProblemDetail pd && pd.getDetail() != null ? pd.getDetail()
                : HttpStatus.valueOf(status.value()).getReasonPhrase();
        ProblemDetail problem = problem(status, CODES.getOrDefault(status.value(), "INTERNAL_ERROR"), detail,
                exchange.getRequest().getPath().value());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        if (headers != null) {
            response.headers(headers);
        }
        return Mono.just(response.body(problem));
    }
}
