package dev.couponhub.kit.problem;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * WebFlux services: the same problem+json answers as {@link ServletProblemHandler}, for the same failures.
 */
@RestControllerAdvice
public class ReactiveProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ReactiveProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException ex, ServerWebExchange exchange) {
        return Problems.answer(Problems.of(ex, path(exchange)), null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        if (Problems.isDataStoreOutage(ex)) {
            log.error("A data store is unavailable while handling {}: {}", path(exchange), ex.toString());
            return Problems.answer(Problems.of(StandardProblem.DEPENDENCY_UNAVAILABLE, Problems.DEPENDENCY_DETAIL,
                    path(exchange)), null);
        }
        log.error("Unexpected failure handling {} {}", exchange.getRequest().getMethod(), path(exchange), ex);
        return Problems.answer(Problems.internalError(HttpStatus.INTERNAL_SERVER_ERROR, path(exchange)), null);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<FieldViolation> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(ReactiveProblemHandler::violation)
                .toList();
        return Mono.just(Problems.answer(Problems.validationFailed("The request has invalid fields.", errors,
                path(exchange)), headers));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        FieldViolation violation = Problems.violationOf(ex.getMostSpecificCause());
        if (violation == null && ex.getMethodParameter() != null && ex.getMethodParameter().getParameterName() != null
                && ex.getCause() instanceof org.springframework.beans.TypeMismatchException mismatch) {
            violation = new FieldViolation(ex.getMethodParameter().getParameterName(),
                    Problems.expectation(mismatch.getRequiredType()));
        }
        ProblemDetail problem = Problems.validationFailed("The request is missing a value or is not valid JSON.",
                violation == null ? List.of() : List.of(violation), path(exchange));
        return Mono.just(Problems.answer(problem, headers));
    }

    /** Every other WebFlux exception (404, 405, 406, 415, ...) comes through here. */
    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, @Nullable Object body,
            @Nullable HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (status.is5xxServerError()) {
            log.error("Failure handling {}", path(exchange), ex);
            return Mono.just(Problems.answer(Problems.internalError(status, path(exchange)), headers));
        }
        String detail = body instanceof ProblemDetail problem && problem.getDetail() != null ? problem.getDetail()
                : Problems.reasonOf(status);
        return Mono.just(Problems.answer(Problems.problem(status, Problems.codeFor(status), Problems.reasonOf(status),
                detail, path(exchange)), headers));
    }

    /**
     * The problem this handler answers for {@code status}, for answers written before any handler runs (a web
     * filter's): its standard code, title and {@code detail}.
     */
    public static ProblemDetail problemFor(HttpStatusCode status, String detail, String path) {
        return Problems.problem(status, Problems.codeFor(status), Problems.reasonOf(status), detail, path);
    }

    private static FieldViolation violation(FieldError error) {
        return new FieldViolation(error.getField(), error.isBindingFailure() ? "has the wrong type"
                : String.valueOf(error.getDefaultMessage()));
    }

    private static String path(ServerWebExchange exchange) {
        return exchange.getRequest().getPath().value();
    }
}
