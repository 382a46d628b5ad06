package dev.couponhub.batch.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into RFC 9457 problem+json with the stable {@code code} field of API.md.
 * Unexpected failures are logged here and answered without any internal detail.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

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
    ResponseEntity<ProblemDetail> api(ApiException ex, HttpServletRequest request) {
        ProblemDetail body = problem(ex.code().status(), ex.code().name(), ex.getMessage(), request.getRequestURI());
        if (ex.code() == ProblemCode.VALIDATION_FAILED) {
            body.setProperty("errors", ex.errors());
        }
        return ResponseEntity.status(ex.code().status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** The database cannot be reached or does not answer in time: 503, nothing about the failure revealed. */
    @ExceptionHandler({DataAccessResourceFailureException.class, QueryTimeoutException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> storeUnavailable(Exception ex, HttpServletRequest request) {
        log.error("The database is unavailable while handling {}: {}", request.getRequestURI(), ex.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "DEPENDENCY_UNAVAILABLE",
                        "The service cannot reach its database right now. Try again shortly.",
                        request.getRequestURI()));
    }

    /** A query parameter or path variable that does not convert, e.g. {@code from=yesterday}. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName()
                : String.valueOf(ex.getPropertyName());
        Class<?> type = ex.getRequiredType();
        String message = type == java.time.LocalDate.class ? "must be a date (YYYY-MM-DD)"
                : type == Long.class || type == long.class ? "must be a positive whole number" : "has an invalid value";
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED",
                "The request has invalid parameters.", path(request));
        body.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex, HttpServletRequest request) {
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), ex);
        return ResponseEntity.internalServerError()
                .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR",
                        "An unexpected error occurred.", request.getRequestURI()));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED",
                "The request has invalid fields.", path(request));
        body.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(body);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED",
                "The request body is missing or is not valid JSON.", path(request)));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String detail = body instanceof ProblemDetail pd && pd.getDetail() != null ? pd.getDetail()
                : HttpStatus.valueOf(status.value()).getReasonPhrase();
        ProblemDetail problem = problem(status, CODES.getOrDefault(status.value(), "INTERNAL_ERROR"), detail, path(request));
        return ResponseEntity.status(status).headers(headers).body(problem);
    }

    @Nullable
    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest swr ? swr.getRequest().getRequestURI() : null;
    }
}
