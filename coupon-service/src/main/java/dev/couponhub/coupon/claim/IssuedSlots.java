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

    /** One user's slot of a day. */
    @FunctionalInterface
    interface DaySlot {
        void accept(long userId, int daySeq);
    }

    /** The users' slots of {@code day} of a coupon with a daily limit; none by default. */
    default void forEachOfDay(long couponId, java.time.LocalDate day, DaySlot slot) {
    }
}
