package dev.couponhub.notification.alert;

/** An event that cannot be handled as it is: it is not acknowledged, so SQS retries it and then dead-letters it. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
