package dev.couponhub.gateway.problem;

import java.util.concurrent.TimeoutException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;

/**
 * What the gateway answers for an exception that reached the outermost error handler.
 *
 * @param status the status sent to the client
 * @param code the Couponhub error code
 * @param detail a fixed, client-safe description (never an exception message)
 * @param headers headers the exception asks for (e.g. {@code Allow} for 405)
 * @param unexpected whether this is a server fault to be logged with its stack trace
 */
public record GatewayError(HttpStatus status, String code, String detail, HttpHeaders headers, boolean unexpected) {

    public static GatewayError of(Throwable ex) {
        if (ex instanceof ResponseStatusException rse) {
            return fromStatus(rse.getStatusCode(), rse.getHeaders());
        }
        if (ex instanceof TimeoutException) {
            return dependencyUnavailable();
        }
        return internal();
    }

    private static GatewayError fromStatus(HttpStatusCode code, HttpHeaders headers) {
        HttpStatus status = HttpStatus.resolve(code.value());
        if (status == null) {
            return internal();
        }
        return switch (status) {
            case BAD_REQUEST -> new GatewayError(status, "VALIDATION_FAILED",
                    "The request is malformed.", headers, false);
            case UNAUTHORIZED -> new GatewayError(status, "UNAUTHORIZED",
                    "Authentication is required.", headers, false);
            case FORBIDDEN -> new GatewayError(status, "FORBIDDEN",
                    "This request is not allowed.", headers, false);
            case NOT_FOUND -> new GatewayError(status, "NOT_FOUND",
                    "No resource exists at this path.", headers, false);
            case METHOD_NOT_ALLOWED -> new GatewayError(status, "METHOD_NOT_ALLOWED",
                    "This method is not supported for this path.", headers, false);
            case TOO_MANY_REQUESTS -> new GatewayError(status, "RATE_LIMITED",
                    "Too many requests; slow down.", headers, false);
            case BAD_GATEWAY, SERVICE_UNAVAILABLE, GATEWAY_TIMEOUT -> dependencyUnavailable();
            default -> status.is4xxClientError()
                    ? new GatewayError(status, status.name(), status.getReasonPhrase() + ".", headers, false)
                    : internal();
        };
    }

    private static GatewayError dependencyUnavailable() {
        return new GatewayError(HttpStatus.SERVICE_UNAVAILABLE, "DEPENDENCY_UNAVAILABLE",
                "A service needed for this request is unavailable; try again later.", HttpHeaders.EMPTY, false);
    }

    private static GatewayError internal() {
        return new GatewayError(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR",
                "An unexpected error occurred.", HttpHeaders.EMPTY, true);
    }
}
