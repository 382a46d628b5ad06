package dev.couponhub.coupon.coupon;

import java.time.Duration;
import java.time.Instant;

import dev.couponhub.coupon.store.StoreSnapshot;
import dev.couponhub.kit.caller.Caller;
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

/**
 * A coupon a store published. Its status is never stored: {@link #statusAt(Instant)} derives it from the clock,
 * whether it was ended and its stock. {@code issuedQuantity} is kept by the claims, in the transaction of each issue.
 * Its owner may change the name, the description, the stock and the end of the claim window ({@link #amend}).
 */
@Entity
@Table(name = "coupons")
public class Coupon {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "store_id", nullable = false)
    private StoreSnapshot store;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(length = 1000)
    private String description;

    @Enumerated(EnumType.STRING)
    @Column(name = "discount_type", nullable = false, length = 10)
    private DiscountType discountType;

    @Column(name = "discount_value", nullable = false)
    private long discountValue;

    @Column(name = "min_order_amount", nullable = false)
    private long minOrderAmount;

    @Column(name = "max_discount_amount")
    private Long maxDiscountAmount;

    @Column(name = "total_quantity", nullable = false)
    private long totalQuantity;

    /**
     * Kept by the claims' own statement ({@code Claimability.COUNT_IF_CLAIMABLE}), never by this entity: written
     * from a copy read earlier it would undo the claims counted since (the column defaults to 0 on insert).
     */
    @Column(name = "issued_quantity", nullable = false, insertable = false, updatable = false)
    private long issuedQuantity;

    @Column(name = "per_user_limit", nullable = false)
    private int perUserLimit;

    /** At most this many claims by one shopper per calendar day in the service zone; null: no daily limit. */
    @Column(name = "per_user_daily_limit")
    private Integer perUserDailyLimit;

    @Column(name = "issue_starts_at", nullable = false)
    private Instant issueStartsAt;

    @Column(name = "issue_ends_at", nullable = false)
    private Instant issueEndsAt;

    @Column(name = "valid_until")
    private Instant validUntil;

    @Column(name = "valid_days_after_issue")
    private Integer validDaysAfterIssue;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Coupon() {
        // for JPA
    }

    /** A new coupon; the terms must already be valid (see {@link CouponRequest#violations}). */
    public Coupon(StoreSnapshot store, CouponTerms terms, Instant now) {
        Discount discount = terms.discount(); // checks the discount terms
        if (terms.totalQuantity() < 1 || terms.perUserLimit() < 1) {
            throw new IllegalArgumentException("quantities must be positive");
        }
        if (terms.perUserDailyLimit() != null
                && (terms.perUserDailyLimit() < 1 || terms.perUserDailyLimit() > terms.perUserLimit())) {
            throw new IllegalArgumentException("perUserDailyLimit must be between 1 and perUserLimit");
        }
        if (!terms.issueStartsAt().isBefore(terms.issueEndsAt())) {
            throw new IllegalArgumentException("issueStartsAt must be before issueEndsAt");
        }
        if (terms.validUntil() == null && terms.validDaysAfterIssue() == null) {
            throw new IllegalArgumentException("a validity is required");
        }
        this.store = store;
        this.name = terms.name();
        this.description = terms.description();
        this.discountType = discount.type();
        this.discountValue = discount.value();
        this.minOrderAmount = discount.minOrderAmount();
        this.maxDiscountAmount = discount.maxDiscountAmount();
        this.totalQuantity = terms.totalQuantity();
        this.perUserLimit = terms.perUserLimit();
        this.perUserDailyLimit = terms.perUserDailyLimit();
        this.issueStartsAt = terms.issueStartsAt();
        this.issueEndsAt = terms.issueEndsAt();
        this.validUntil = terms.validUntil();
        this.validDaysAfterIssue = terms.validDaysAfterIssue();
        this.createdAt = now;
    }

    /**
     * {@code ENDED} once ended or past {@code issueEndsAt}; {@code SCHEDULED} before {@code issueStartsAt};
     * {@code SOLD_OUT} when every unit is issued; {@code ACTIVE} otherwise.
     */
    public CouponStatus statusAt(Instant now) {
        if (endedAt != null || !now.isBefore(issueEndsAt)) {
            return CouponStatus.ENDED;
        }
        if (now.isBefore(issueStartsAt)) {
            return CouponStatus.SCHEDULED;
        }
        return issuedQuantity >= totalQuantity ? CouponStatus.SOLD_OUT : CouponStatus.ACTIVE;
    }

    /** Whether a claim at {@code now} is inside the issue window of a coupon that was not ended. */
    public boolean isClaimWindowOpen(Instant now) {
        return endedAt == null && !now.isBefore(issueStartsAt) && now.isBefore(issueEndsAt);
    }

    /** When a unit issued at {@code issuedAt} expires: the earlier of {@code validUntil} and the relative validity. */
    public Instant expiresAtFor(Instant issuedAt) {
        Instant relative = validDaysAfterIssue == null ? null : issuedAt.plus(Duration.ofDays(validDaysAfterIssue));
        if (validUntil == null) {
            return relative;
        }
        return relative == null || validUntil.isBefore(relative) ? validUntil : relative;
    }

    /** Ends the coupon: no further claims. Answers false when it had already been ended. */
    public boolean end(Instant now) {
        if (endedAt != null) {
            return false;
        }
        endedAt = now;
        return true;
    }

    /**
     * Changes what its owner may change once published; a null leaves that part. The caller holds the coupon row's
     * lock and checked the rules ({@link CouponEdit#violations}): {@code totalQuantity} is not below the units
     * issued, {@code issueEndsAt} is after {@code issueStartsAt}, in the future and not after {@code validUntil}.
     */
    void amend(CouponEdit edit) {
        if (edit.name() != null) {
            name = edit.name().strip();
        }
        if (edit.description() != null) {
            description = edit.description().isBlank() ? null : edit.description().strip();
        }
        if (edit.totalQuantity() != null) {
            if (edit.totalQuantity() < issuedQuantity) {
                throw new IllegalArgumentException("totalQuantity below the units issued");
            }
            totalQuantity = edit.totalQuantity();
        }
        if (edit.issueEndsAt() != null) {
            if (!issueStartsAt.isBefore(edit.issueEndsAt())) {
                throw new IllegalArgumentException("issueEndsAt must be after issueStartsAt");
            }
            issueEndsAt = edit.issueEndsAt();
        }
    }

    public boolean isOwnedBy(long userId) {
        return store.isOwnedBy(userId);
    }

    /** Whether the caller acts for the coupon's store: its owner, or a partner with one of its API keys. */
    public boolean isActedForBy(Caller caller) {
        return store.isActedForBy(caller);
    }

    public Discount discount() {
        return new Discount(discountType, discountValue, minOrderAmount, maxDiscountAmount);
    }

    public long remainingQuantity() {
        return Math.max(0, totalQuantity - issuedQuantity);
    }

    public Long id() {
        return id;
    }

    public StoreSnapshot store() {
        return store;
    }

    public long storeId() {
        return store.id();
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public long totalQuantity() {
        return totalQuantity;
    }

    public long issuedQuantity() {
        return issuedQuantity;
    }

    public int perUserLimit() {
        return perUserLimit;
    }

    public Integer perUserDailyLimit() {
        return perUserDailyLimit;
    }

    public Instant issueStartsAt() {
        return issueStartsAt;
    }

    public Instant issueEndsAt() {
        return issueEndsAt;
    }

    public Instant validUntil() {
        return validUntil;
    }

    public Integer validDaysAfterIssue() {
        return validDaysAfterIssue;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
