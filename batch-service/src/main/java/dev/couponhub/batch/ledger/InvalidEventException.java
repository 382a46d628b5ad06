package dev.couponhub.batch.ledger;

/** A message on the events queue that is not a valid coupon event; it is left to SQS's dead-letter queue. */
public class InvalidEventException extends RuntimeException {

    InvalidEventException(String reason) {
        super("Invalid coupon event: " + reason, null, false, false);
    }
}
