package dev.couponhub.coupon.issued;

import java.time.Instant;

import dev.couponhub.coupon.coupon.Coupon;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * One unit of a coupon issued to a shopper. {@code seq} (1..totalQuantity) and {@code userSeq} (1..perUserLimit) are
 * unique per coupon (and user) in the database, and the database bounds {@code userSeq} by the coupon's limit (a copy
 * of it on the row, tied to the coupon's by a foreign key), so no more can ever exist per user than the coupon allows. Redemption state
 * changes are guarded by optimistic locking ({@code version}).
 */
@Entity
@Table(name = "issued_coupons")
public class IssuedCoupon {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "coupon_id", nullable = false)
    private Coupon coupon;

    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(nullable = false)
    private long seq;

    @Column(name = "user_seq", nullable = false)
    private int userSeq;

    /** The coupon's {@code perUserLimit}, copied so that the database can bound {@code userSeq} by it (V6). */
    @Column(name = "per_user_limit", nullable = false, updatable = false)
    private int perUserLimit;

    @Column(nullable = false, columnDefinition = "char(12)")
    private String code;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 10)
    private IssuedCouponStatus status;

    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "redeemed_at")
    private Instant redeemedAt;

    /** Who redeemed it (set while REDEEMED); only they may cancel the redemption. */
    @Enumerated(EnumType.STRING)
    @Column(name = "redemption_channel", length = 7)
    private RedemptionChannel redemptionChannel;

    @Column(name = "order_id", length = 64)
    private String orderId;

    @Column(name = "order_amount")
    private Long orderAmount;

    @Column(name = "discount_amount")
    private Long discountAmount;

    /** Compared byte for byte by the database (VARBINARY), as in Redis: docs/api.md says keys compare exactly. */
    @Column(name = "idempotency_key", columnDefinition = "varbinary(400)")
    private String idempotencyKey;

    @Column(name = "expiring_notified_at")
    private Instant expiringNotifiedAt;

    @Version
    @Column(nullable = false)
    private long version;

    protected IssuedCoupon() {
        // for JPA
    }

    /**
     * Issues unit {@code seq} of the coupon to the user as their {@code userSeq}-th. {@code seq} is a unit's number,
     * unique per coupon, not bounded by the stock here: the copy of the coupon a claim holds may predate a change of
     * its stock, and a stock lowered below the highest number handed out leaves numbers above it in use. The stock is
     * the bound of the count each claim's transaction makes in MySQL.
     *
     * @throws IllegalArgumentException when {@code seq} is not positive or {@code userSeq} is outside the coupon's
     *                                  per-user limit
     */
    public IssuedCoupon(Coupon coupon, long userId, long seq, int userSeq, String code, String idempotencyKey,
                        Instant now) {
        if (seq < 1) {
            throw new IllegalArgumentException("seq " + seq + " is not positive");
        }
        if (userSeq < 1 || userSeq > coupon.perUserLimit()) {
            throw new IllegalArgumentException("userSeq " + userSeq + " is outside 1.." + coupon.perUserLimit());
        }
        this.coupon = coupon;
        this.userId = userId;
        this.seq = seq;
        this.userSeq = userSeq;
        this.perUserLimit = coupon.perUserLimit();
        this.code = code;
        this.idempotencyKey = idempotencyKey;
        this.status = IssuedCouponStatus.ISSUED;
        this.issuedAt = now;
        this.expiresAt = coupon.expiresAtFor(now);
    }

    /**
     * Records the id the database generated for this unit, for writers that insert it with plain JDBC (the claim
     * writer's batches) rather than through the entity manager.
     *
     * @throws IllegalStateException when the unit already has an id
     */
    public void assignGeneratedId(long generatedId) {
        if (this.id != null) {
            throw new IllegalStateException("issued coupon already has id " + this.id);
        }
        this.id = generatedId;
    }

    /** The status as of {@code now}: an unused coupon past {@code expiresAt} is EXPIRED even before the job ran. */
    public IssuedCouponStatus statusAt(Instant now) {
        if (status == IssuedCouponStatus.ISSUED && !now.isBefore(expiresAt)) {
            return IssuedCouponStatus.EXPIRED;
        }
        return status;
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * What redeeming the coupon on an order of {@code orderAmount} would do now, changing nothing: the discount, or
     * why it would be refused ({@code ALREADY_REDEEMED} whatever the order, as a preview has none).
     */
    public Preview preview(long orderAmount, Instant now) {
        RedemptionRefused.Reason refusal = status == IssuedCouponStatus.REDEEMED
                ? RedemptionRefused.Reason.ALREADY_REDEEMED : refusalOf(orderAmount, now);
        return refusal == null ? new Preview(null, coupon.discount().amountFor(orderAmount)) : new Preview(refusal, 0);
    }

    /**
     * A preview's outcome.
     *
     * @param refusal        why a redemption would be refused, or null when it would succeed
     * @param discountAmount the discount it would give (0 when refused)
     */
    public record Preview(RedemptionRefused.Reason refusal, long discountAmount) {
    }

    private RedemptionRefused.Reason refusalOf(long orderAmount, Instant now) {
        if (statusAt(now) == IssuedCouponStatus.EXPIRED) {
            return RedemptionRefused.Reason.EXPIRED;
        }
        if (!coupon.discount().appliesTo(orderAmount)) {
            return RedemptionRefused.Reason.MIN_ORDER_NOT_MET;
        }
        return null;
    }

    /**
     * Uses the coupon on an order. Answers false when it was already redeemed on this very order (nothing changes,
     * whoever asks: the first redemption stands, with its channel).
     *
     * @throws RedemptionRefused when the coupon was redeemed on another order, has expired, or the order is too small
     */
    public boolean redeem(String orderId, long orderAmount, RedemptionChannel channel, Instant now) {
        if (status == IssuedCouponStatus.REDEEMED) {
            if (orderId.equals(this.orderId)) {
                return false;
            }
            throw new RedemptionRefused(RedemptionRefused.Reason.ALREADY_REDEEMED);
        }
        RedemptionRefused.Reason refusal = refusalOf(orderAmount, now);
        if (refusal != null) {
            throw new RedemptionRefused(refusal);
        }
        var discount = coupon.discount();
        this.status = IssuedCouponStatus.REDEEMED;
        this.redemptionChannel = channel;
        this.orderId = orderId;
        this.orderAmount = orderAmount;
        this.discountAmount = discount.amountFor(orderAmount);
        this.redeemedAt = now;
        return true;
    }

    /**
     * Undoes the redemption of {@code orderId}: back to ISSUED, or EXPIRED when past {@code expiresAt}. Only through
     * the channel that redeemed it: the holder cannot undo the store's redemption at its counter (and use the coupon
     * again), nor the store the holder's.
     *
     * @return whether the coupon is now EXPIRED (it expired while redeemed, so the expiry job never saw it unused)
     * @throws RedemptionRefused when not redeemed, redeemed through the other channel, or redeemed on another order
     */
    public boolean cancelRedemption(String orderId, RedemptionChannel channel, Instant now) {
        if (status != IssuedCouponStatus.REDEEMED) {
            throw new RedemptionRefused(RedemptionRefused.Reason.NOT_REDEEMED);
        }
        if (redemptionChannel != channel) {
            throw new RedemptionRefused(RedemptionRefused.Reason.NOT_REDEEMER);
        }
        if (!this.orderId.equals(orderId)) {
            throw new RedemptionRefused(RedemptionRefused.Reason.ORDER_MISMATCH);
        }
        this.status = isExpiredAt(now) ? IssuedCouponStatus.EXPIRED : IssuedCouponStatus.ISSUED;
        this.orderId = null;
        this.orderAmount = null;
        this.discountAmount = null;
        this.redeemedAt = null;
        this.redemptionChannel = null;
        return status == IssuedCouponStatus.EXPIRED;
    }

    /** Marks an unused coupon past {@code expiresAt} EXPIRED; answers whether it changed. */
    public boolean expire(Instant now) {
        if (status != IssuedCouponStatus.ISSUED || !isExpiredAt(now)) {
            return false;
        }
        status = IssuedCouponStatus.EXPIRED;
        return true;
    }

    /** Records that the expiring notice was sent; answers false if it already was or no longer applies. */
    public boolean markExpiringNotified(Instant now) {
        if (expiringNotifiedAt != null || status != IssuedCouponStatus.ISSUED || isExpiredAt(now)) {
            return false;
        }
        expiringNotifiedAt = now;
        return true;
    }

    public Long id() {
        return id;
    }

    public Coupon coupon() {
        return coupon;
    }

    public long userId() {
        return userId;
    }

    public long seq() {
        return seq;
    }

    public int userSeq() {
        return userSeq;
    }

    public int perUserLimit() {
        return perUserLimit;
    }

    public String code() {
        return code;
    }

    public IssuedCouponStatus storedStatus() {
        return status;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Instant redeemedAt() {
        return redeemedAt;
    }

    public RedemptionChannel redemptionChannel() {
        return redemptionChannel;
    }

    public String orderId() {
        return orderId;
    }

    public Long orderAmount() {
        return orderAmount;
    }

    public Long discountAmount() {
        return discountAmount;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }
}
