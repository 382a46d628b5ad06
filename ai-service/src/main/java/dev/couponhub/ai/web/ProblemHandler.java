package dev.couponhub.ai.web;

import java.net.URI;
import java.util.Comparator;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.validation.FieldError;
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
 * {@code detail}, {@code instance} (the request path) and {@code code} (API.md); validation failures add
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

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, NativeWebRequest request) {
        log.error("Unexpected failure handling {}", path(request), ex);
        return problem(internalError(HttpStatus.INTERNAL_SERVER_ERROR), ProblemCode.INTERNAL_ERROR.name(),
                ProblemCode.INTERNAL_ERROR.title(), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldViolation> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldViolation(error.getField(), message(error)))
                .sorted(Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::message))
                .toList();
        return validationFailed("The request has invalid fields.", errors, request);
    }

    /** A query parameter outside its constraints, e.g. {@code limit=0}. */
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

    /** A query parameter that does not convert, e.g. {@code limit=abc}. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String field = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName()
                : String.valueOf(ex.getPropertyName());
        Class<?> type = ex.getRequiredType();
        String message = type == int.class || type == Integer.class || type == long.class || type == Long.class
                ? "must be a whole number" : "has the wrong type";
        return validationFailed("The request has invalid parameters.", List.of(new FieldViolation(field, message)),
                request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        return validationFailed("The request body is missing or is not valid JSON.", List.of(), request);
    }

    /** Every other Spring MVC exception (404, 405, 406, ...) comes through here with a ProblemDetail body. */
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
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status,
                "The request could not be processed. Try again later.");
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

    private static String message(FieldError error) {
        return error.isBindingFailure() ? "has the wrong type" : String.valueOf(error.getDefaultMessage());
    }

    private static String titleOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.getReasonPhrase() : "Error";
    }

    @Nullable
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
