package dev.couponhub.coupon.claim;

/**
 * Whether a claim's issue committed is not known: its COMMIT got no answer and MySQL could not be asked within
 * {@code outcome-wait}. It may be in MySQL: its reservation must not be given to anyone else.
 */
final class WriteOutcomeUnknown extends RuntimeException {

    WriteOutcomeUnknown(Throwable cause) {
        super("claim write outcome unknown", cause);
    }
}
