package dev.couponhub.notification.alert;

/**
 * An event that cannot be handled as it is (a required field missing or invalid). It is moved alone to the
 * dead-letter queue, so that the other events of its message are still handled. Its message says what is wrong,
 * never the event's content: it is logged and travels with the dead letter.
 */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
