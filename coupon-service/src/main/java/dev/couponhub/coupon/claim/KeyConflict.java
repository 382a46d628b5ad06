package dev.couponhub.coupon.claim;

/**
 * The issue of a claim met a unique key of {@code issued_coupons}: Redis was behind MySQL (its state was rebuilt while
 * claims were in flight), the same {@code Idempotency-Key} was used concurrently, or (in theory) a random code
 * collided. Nothing of the claim was written.
 */
final class KeyConflict extends RuntimeException {

    private final TakenKeys taken;

    KeyConflict(TakenKeys taken) {
        super("issued-coupon key already taken: " + taken, null, false, false);
        this.taken = taken;
    }

    TakenKeys taken() {
        return taken;
    }
}
