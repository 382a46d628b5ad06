package dev.couponhub.coupon.claim;

/**
 * A claim's write did not finish in time: it is still queued or running and may yet commit. Its reservation must not
 * be given to anyone else.
 */
final class WriteOutcomeUnknown extends RuntimeException {

    WriteOutcomeUnknown(Throwable cause) {
        super("claim write did not complete in time", cause);
    }
}
