package dev.couponhub.coupon.claim;

/**
 * What the claim gate is rebuilt from: the issued units of a coupon, each as its {@code seq}, user and
 * {@code userSeq}, handed over one at a time in user order (a user's units one after the other), never all held at
 * once. Called inside a transaction.
 */
@FunctionalInterface
interface IssuedSlots {

    /** One issued unit. */
    @FunctionalInterface
    interface Slot {
        void accept(long seq, long userId, int userSeq);
    }

    void forEach(long couponId, Slot slot);
}
