package dev.couponhub.batch.ledger;

/**
 * An element of a message on the events queue that is not a valid coupon event. It is moved alone to the queue's
 * dead-letter queue; the other events of its message are still recorded.
 */
class InvalidEventException extends RuntimeException {

    private final String reason;

    InvalidEventException(String reason) {
        super("Invalid coupon event: " + reason, null, false, false);
        this.reason = reason;
    }

    /** Why the event is not valid: names a field, never repeats the event's content. */
    String reason() {
        return reason;
    }
}
