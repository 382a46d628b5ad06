package dev.couponhub.kit.messaging;

/** An SQS message whose body carries no event at all: not JSON, or neither an event object nor an array of them. */
public class UnreadableMessageException extends RuntimeException {

    public UnreadableMessageException(String message) {
        super(message);
    }

    public UnreadableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
