package dev.couponhub.coupon.web;

import java.net.URI;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessException;
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
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders every error as {@code application/problem+json} with {@code type}, {@code title}, {@code status},
 * {@code detail}, {@code instance} (the request path) and {@code code}; validation failures add
 * {@code errors: [{field, message}]}. Unexpected failures are logged and answered with a generic 500.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException ex, NativeWebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(ex.code().status(), ex.detail());
        if (ex.code() == ProblemCode.VALIDATION_FAILED) {
            body.setProperty("errors", ex.errors());
        }
        return problem(body, ex.code().name(), ex.code().title(), request);
    }

    /**
     * A database or Redis that cannot be reached (or does not answer in time): 503, so that clients retry later.
     * Nothing about the failure is revealed.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, QueryTimeoutException.class})
    ResponseEntity<Object> handleStoreUnavailable(DataAccessException ex, NativeWebRequest request) {
        log.error("A data store is unavailable while handling {}: {}", path(request), ex.toString());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The service cannot reach one of its data stores right now. Try again shortly.");
        return problem(body, ProblemCode.DEPENDENCY_UNAVAILABLE.name(), ProblemCode.DEPENDENCY_UNAVAILABLE.title(),
                request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, NativeWebRequest request) {
        log.error("Unexpected failure handling {}", path(request), ex);
        return problem(internalError(HttpStatus.INTERNAL_SERVER_ERROR), ProblemCode.INTERNAL_ERROR.name(),
                ProblemCode.INTERNAL_ERROR.title(), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldViolation> errors = ex.getBindingResult().getAllErrors().stream()
                .map(ProblemHandler::violation)
                .sorted(Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::message))
                .toList();
        return validationFailed("The request has invalid fields.", errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldViolation> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new FieldViolation(result.getMethodParameter().getParameterName(),
                                String.valueOf(error.getDefaultMessage()))))
                .sorted(Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::message))
                .toList();
        return validationFailed("The request has invalid parameters.", errors, request);
    }

    /** A query parameter or path variable that does not convert, e.g. {@code size=abc} or {@code category=SHOES}. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String field = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName()
                : String.valueOf(ex.getPropertyName());
        return validationFailed("The request has invalid parameters.",
                List.of(new FieldViolation(field, expectation(ex.getRequiredType()))), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldViolation> errors = List.of();
        if (ex.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                    .orElse("");
            Class<?> target = mapping instanceof InvalidFormatException format ? format.getTargetType() : null;
            errors = List.of(new FieldViolation(field, expectation(target)));
        }
        return validationFailed("The request body is missing or is not valid JSON of the expected shape.", errors,
                request);
    }

    /** Every other Spring MVC exception (404, 405, 415, ...) comes through here with a ProblemDetail body. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail
                : ProblemDetail.forStatusAndDetail(statusCode, titleOf(statusCode));
        String title = problem.getTitle();
        if (statusCode.is5xxServerError()) {
            log.error("Failure handling {}", path(request), ex);
            problem = internalError(statusCode);
            title = null;
        }
        ResponseEntity<Object> entity = problem(problem, codeFor(statusCode), title, request);
        HttpHeaders merged = new HttpHeaders();
        merged.addAll(headers);
        merged.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(entity.getBody(), merged, entity.getStatusCode());
    }

    private ResponseEntity<Object> validationFailed(String detail, List<FieldViolation> errors, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        body.setProperty("errors", errors);
        return problem(body, ProblemCode.VALIDATION_FAILED.name(), ProblemCode.VALIDATION_FAILED.title(), request);
    }

    private static ResponseEntity<Object> problem(ProblemDetail body, String code, @Nullable String title,
                                                  WebRequest request) {
        body.setType(ProblemCode.typeOf(code));
        if (title != null) {
            body.setTitle(title);
        }
        body.setInstance(instance(request));
        body.setProperty("code", code);
        return ResponseEntity.status(body.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }

    private static ProblemDetail internalError(HttpStatusCode status) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, "The request could not be processed. Try again later.");
        body.setTitle(status.value() == 500 ? ProblemCode.INTERNAL_ERROR.title() : titleOf(status));
        return body;
    }

    private static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ProblemCode.VALIDATION_FAILED.name();
            case 401 -> ProblemCode.UNAUTHORIZED.name();
            case 403 -> ProblemCode.FORBIDDEN.name();
            case 404 -> ProblemCode.NOT_FOUND.name();
            case 503 -> ProblemCode.DEPENDENCY_UNAVAILABLE.name();
            case 500 -> ProblemCode.INTERNAL_ERROR.name();
            default -> {
                HttpStatus known = HttpStatus.resolve(status.value());
                yield known != null ? known.name() : "HTTP_" + status.value();
            }
        };
    }

    /** What a value of the type must look like, without naming any Java class. */
    static String expectation(@Nullable Class<?> type) {
        if (type != null && type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "must be a whole number";
        }
        return "has the wrong type";
    }

    private static String titleOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.getReasonPhrase() : "Error";
    }

    private static FieldViolation violation(ObjectError error) {
        if (error instanceof FieldError fieldError) {
            String message = fieldError.isBindingFailure() ? "has the wrong type"
                    : String.valueOf(fieldError.getDefaultMessage());
            return new FieldViolation(fieldError.getField(), message);
        }
        return new FieldViolation(error.getObjectName(), String.valueOf(error.getDefaultMessage()));
    }

    private static URI instance(WebRequest request) {
        try {
            return URI.create(path(request));
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
    }

    private static String path(WebRequest request) {
        HttpServletRequest servlet = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
        return servlet != null ? servlet.getRequestURI() : "/";
    }
}
