package dev.couponhub.coupon.claim;

/**
 * The claim's batch got no answer to its {@code XA PREPARE}: the writer decided to roll it back, so the claim is never
 * issued. Its unit stays reserved until MySQL confirms the rollback; then {@link BatchSettler} gives it back.
 */
final class RollbackPending extends RuntimeException {

    RollbackPending(Throwable cause) {
        super("the claim's batch is being rolled back", cause);
    }
}
