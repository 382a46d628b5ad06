package dev.couponhub.coupon.claim;

/**
 * A unit of a coupon that the Redis gate reserved for a user: a sequence number of the coupon ({@code seq}), one of
 * the user's slots ({@code userSeq}) and, for a coupon with a daily limit, one of the user's slots of the claim's day
 * ({@code daySeq} of {@code day}, a date of the service zone as {@code yyyyMMdd}; 0 and "" without a daily limit). It ends one of two ways: its issue is written to MySQL and {@link #confirm}ed,
 * or it is given back ({@link #release}, or {@link #releaseUnused} for the parts MySQL does not use). The
 * {@code generation} names the Redis state it was taken from: a rebuilt state ignores reservations of an older one.
 */
final class Reservation {

    private final ClaimGate gate;
    private final long couponId;
    private final long userId;
    private final long seq;
    private final int userSeq;
    private final String generation;
    private final int daySeq;
    private final String day;
    /** Set once Redis was told the unit is committed (or telling it failed and was logged): nothing left to do. */
    private volatile boolean confirmed;

    Reservation(ClaimGate gate, long couponId, long userId, long seq, int userSeq, String generation) {
        this(gate, couponId, userId, seq, userSeq, generation, 0, "");
    }

    Reservation(ClaimGate gate, long couponId, long userId, long seq, int userSeq, String generation, int daySeq,
                String day) {
        this.gate = gate;
        this.couponId = couponId;
        this.userId = userId;
        this.seq = seq;
        this.userSeq = userSeq;
        this.generation = generation;
        this.daySeq = daySeq;
        this.day = daySeq > 0 ? day : "";
    }

    long couponId() {
        return couponId;
    }

    long userId() {
        return userId;
    }

    long seq() {
        return seq;
    }

    int userSeq() {
        return userSeq;
    }

    String generation() {
        return generation;
    }

    /** The user's slot of the day, 1..the daily limit; 0 when the coupon has no daily limit. */
    int daySeq() {
        return daySeq;
    }

    /** The claim's day in the service zone ({@code yyyyMMdd}) when it took a day slot; else "". */
    String day() {
        return day;
    }

    /** How the gate's pending set names it until it is confirmed or given back ({@code claim/reserve.lua}). */
    String pendingMember() {
        return daySeq > 0 ? seq + ":" + userId + ":" + userSeq + ":" + daySeq + ":" + day
                : seq + ":" + userId + ":" + userSeq;
    }

    /** Gives the unit and the user's slots back: nothing of this claim was written. */
    void release() {
        gate.release(this, true, true, true);
    }

    /** Gives back what MySQL does not use: an issued row of another claim may hold the unit or the user's slot. */
    void releaseUnused(boolean seqUsed, boolean userSeqUsed) {
        releaseUnused(seqUsed, userSeqUsed, false);
    }

    /** {@link #releaseUnused(boolean, boolean)}, also for the user's slot of the day. */
    void releaseUnused(boolean seqUsed, boolean userSeqUsed, boolean daySeqUsed) {
        gate.release(this, !seqUsed, !userSeqUsed, !daySeqUsed);
    }

    /**
     * The issue committed: makes sure Redis counts it, even if its state was rebuilt meanwhile. Nothing to do when the
     * claim writer already confirmed the unit with the rest of its batch ({@link ClaimGate#confirmCommitted}).
     */
    void confirm() {
        if (!confirmed) {
            gate.confirm(this);
        }
    }

    boolean isConfirmed() {
        return confirmed;
    }

    void markConfirmed() {
        confirmed = true;
    }

    @Override
    public String toString() {
        return "unit " + seq + " (user slot " + userSeq + (daySeq > 0 ? ", day slot " + daySeq + " of " + day : "")
                + ") of coupon " + couponId;
    }
}
