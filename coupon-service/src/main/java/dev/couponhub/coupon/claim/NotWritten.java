package dev.couponhub.coupon.claim;

/**
 * A claim's issue is known not to be in MySQL and never will be: it was abandoned before the writer took it, its
 * batch failed before COMMIT, or a read-back after a lost COMMIT found no row. Its reservation may be given back.
 * {@code retryable} when the failure was a lock conflict (deadlock, lock wait) that another attempt may not meet.
 */
final class NotWritten extends RuntimeException {

    private final boolean retryable;

    NotWritten(String message, Throwable cause, boolean retryable) {
        super(message, cause, false, false);
        this.retryable = retryable;
    }

    boolean retryable() {
        return retryable;
    }
}
