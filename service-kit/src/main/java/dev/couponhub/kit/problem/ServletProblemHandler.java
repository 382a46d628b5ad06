package dev.couponhub.kit.problem;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
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
 * Spring MVC services: every error as {@code application/problem+json} with {@code type}, {@code title},
 * {@code status}, {@code detail}, {@code instance} (the request path) and {@code code}; validation failures add
 * {@code errors: [{field, message}]}, sorted. A data store that cannot be reached answers 503
 * {@code DEPENDENCY_UNAVAILABLE}; anything unexpected is logged and answered with a 500 that reveals nothing.
 */
@RestControllerAdvice
public class ServletProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ServletProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException ex, HttpServletRequest request) {
        return Problems.answer(Problems.of(ex, request.getRequestURI()), null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, HttpServletRequest request) {
        if (Problems.isDataStoreOutage(ex)) {
            log.error("A data store is unavailable while handling {}: {}", request.getRequestURI(), ex.toString());
            return Problems.answer(Problems.of(StandardProblem.DEPENDENCY_UNAVAILABLE, Problems.DEPENDENCY_DETAIL,
                    request.getRequestURI()), null);
        }
        log.error("Unexpected failure handling {} {}", request.getMethod(), request.getRequestURI(), ex);
        return Problems.answer(Problems.internalError(HttpStatus.INTERNAL_SERVER_ERROR, request.getRequestURI()), null);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<FieldViolation> errors = ex.getBindingResult().getAllErrors().stream()
                .map(ServletProblemHandler::violation)
                .toList();
        return Problems.answer(Problems.validationFailed("The request has invalid fields.", errors, path(request)),
                headers);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers,
                                                                            HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldViolation> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new FieldViolation(result.getMethodParameter().getParameterName(),
                                String.valueOf(error.getDefaultMessage()))))
                .toList();
        return Problems.answer(Problems.validationFailed("The request has invalid parameters.", errors, path(request)),
                headers);
    }

    /** A query parameter or path variable that does not convert, e.g. {@code size=abc} or {@code category=SHOES}. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String field = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName()
                : String.valueOf(ex.getPropertyName());
        return Problems.answer(Problems.validationFailed("The request has invalid parameters.",
                List.of(new FieldViolation(field, Problems.expectation(ex.getRequiredType()))), path(request)),
                headers);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        FieldViolation violation = Problems.violationOf(ex.getCause());
        return Problems.answer(Problems.validationFailed(
                "The request body is missing or is not valid JSON of the expected shape.",
                violation == null ? List.of() : List.of(violation), path(request)), headers);
    }

    /** Every other Spring MVC exception (404, 405, 406, 415, ...) comes through here. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        if (statusCode.is5xxServerError()) {
            log.error("Failure handling {}", path(request), ex);
            return Problems.answer(Problems.internalError(statusCode, path(request)), headers);
        }
        String detail = body instanceof ProblemDetail problem && problem.getDetail() != null ? problem.getDetail()
                : Problems.reasonOf(statusCode);
        return Problems.answer(Problems.problem(statusCode, Problems.codeFor(statusCode), Problems.reasonOf(statusCode),
                detail, path(request)), headers);
    }

    private static FieldViolation violation(ObjectError error) {
        if (error instanceof FieldError fieldError) {
            String message = fieldError.isBindingFailure() ? "has the wrong type"
                    : String.valueOf(fieldError.getDefaultMessage());
            return new FieldViolation(fieldError.getField(), message);
        }
        return new FieldViolation(error.getObjectName(), String.valueOf(error.getDefaultMessage()));
    }

    private static String path(WebRequest request) {
        HttpServletRequest servlet = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
        return servlet != null ? servlet.getRequestURI() : "/";
    }
}
