package dev.couponhub.coupon.claim;

/**
 * Which unique keys of a claim's issue an issued row in MySQL already holds: the coupon's unit ({@code seq}), the
 * user's slot ({@code userSeq}), the user's {@code Idempotency-Key}, the user's slot of the day ({@code daySeq}). Read
 * with a query of its own after an insert was refused, never from the database's error text.
 */
record TakenKeys(boolean unit, boolean userSlot, boolean idempotencyKey, boolean daySlot) {

    TakenKeys(boolean unit, boolean userSlot, boolean idempotencyKey) {
        this(unit, userSlot, idempotencyKey, false);
    }

    boolean any() {
        return unit || userSlot || idempotencyKey || daySlot;
    }

    /** A key the gate handed out is held by another row: the gate's state is behind MySQL. */
    boolean gateBehind() {
        return unit || userSlot || daySlot;
    }
}
