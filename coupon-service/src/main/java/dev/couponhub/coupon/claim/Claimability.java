package dev.couponhub.coupon.claim;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.couponhub.coupon.coupon.Coupon;

/**
 * The one rule of whether a coupon can be claimed at an instant: it was not ended, the instant is inside
 * {@code [issueStartsAt, issueEndsAt)}, and a unit is left. The claim path checks it in three places, each from here:
 * <ul>
 *   <li>in Java ({@link #refusalOf}): the window on the copy of the coupon a claim read, before anything else (its
 *       stock may be stale, so the gate decides that), and the whole rule on the coupon as MySQL has it, to say why
 *       MySQL refused a count;</li>
 *   <li>atomically in Redis, by {@code claim/reserve.lua} over the state {@link #gateState} writes;</li>
 *   <li>in MySQL, as the guard of the count a claim's transaction makes ({@link #COUNT_IF_CLAIMABLE}), which is the
 *       truth: Redis may be behind it.</li>
 * </ul>
 */
final class Claimability {

    /**
     * Counts {@code n} more issued units of a coupon only if it is claimable at {@code now} for all of them; takes the
     * coupon row's lock until the transaction ends. Parameters: {@code n, couponId, now, now, n} (now as UTC
     * {@code LocalDateTime}). Updates one row, or none when the rule refuses.
     */
    static final String COUNT_IF_CLAIMABLE = "UPDATE coupons SET issued_quantity = issued_quantity + ? "
            + "WHERE id = ? AND ended_at IS NULL AND issue_starts_at <= ? AND issue_ends_at > ? "
            + "AND issued_quantity + ? <= total_quantity";

    private Claimability() {
    }

    /** Why the coupon, as read, refuses a claim at {@code now}; empty when it is claimable. */
    static Optional<Refusal> refusalOf(Coupon coupon, Instant now) {
        if (!coupon.isClaimWindowOpen(now)) {
            return Optional.of(Refusal.WINDOW_CLOSED);
        }
        if (coupon.remainingQuantity() <= 0) {
            return Optional.of(Refusal.SOLD_OUT);
        }
        return Optional.empty();
    }

    /**
     * What the Redis gate checks a claim against (the meta hash of {@code claim/reserve.lua}): the stock, the per-user
     * limit, the window in epoch milliseconds, whether the coupon was ended and the daily limit (0: none).
     */
    static Map<String, String> gateState(Coupon coupon) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("total", Long.toString(coupon.totalQuantity()));
        state.put("limit", Integer.toString(coupon.perUserLimit()));
        state.put("start", Long.toString(coupon.issueStartsAt().toEpochMilli()));
        state.put("end", Long.toString(coupon.issueEndsAt().toEpochMilli()));
        state.put("ended", coupon.endedAt() != null ? "1" : "0");
        state.put("daily", coupon.perUserDailyLimit() == null ? "0" : Integer.toString(coupon.perUserDailyLimit()));
        return state;
    }
}
