package dev.couponhub.coupon.claim;

/**
 * The writer did not decide whether a claim's batch commits within {@code outcome-wait} after the claim's deadline
 * (its thread stuck beyond every time-out, or the caller interrupted). It may still be committed: its reservation must
 * not be given to anyone else; the reaper settles it against MySQL.
 */
final class WriteOutcomeUnknown extends RuntimeException {

    WriteOutcomeUnknown(Throwable cause) {
        super("claim write outcome unknown", cause);
    }
}
