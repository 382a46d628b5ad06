package dev.couponhub.coupon.events;

import java.time.Instant;

import dev.couponhub.kit.outbox.OutboxEvent;

/**
 * The events coupon-service publishes (see EVENTS.md). Each record's components are the message's {@code payload}.
 */
public final class CouponEvents {

    private CouponEvents() {
    }

    /** {@code COUPON_PUBLISHED}: a store published a coupon. */
    public record CouponPublished(long couponId, long storeId, String storeName, String couponName,
                                  String discountType, long discountValue, long totalQuantity,
                                  Instant issueStartsAt, Instant issueEndsAt) implements OutboxEvent {
        @Override
        public String type() {
            return "COUPON_PUBLISHED";
        }

        @Override
        public long aggregateId() {
            return couponId;
        }
    }

    /**
     * {@code COUPON_OPENED}: the claim window of a coupon published before it opened is open now (sent once, within
     * {@code couponhub.opening.interval} of {@code issueStartsAt}).
     */
    public record CouponOpened(long couponId, long storeId, String storeName, String couponName,
                               String discountType, long discountValue, long totalQuantity,
                               Instant issueStartsAt, Instant issueEndsAt) implements OutboxEvent {
        @Override
        public String type() {
            return "COUPON_OPENED";
        }

        @Override
        public long aggregateId() {
            return couponId;
        }
    }

    /** {@code COUPON_CLAIMED}: a shopper's claim was issued (durably). */
    public record CouponClaimed(long issuedCouponId, long couponId, long storeId, String storeName, String couponName,
                                long userId, Instant issuedAt, Instant expiresAt) implements OutboxEvent {
        @Override
        public String type() {
            return "COUPON_CLAIMED";
        }

        @Override
        public long aggregateId() {
            return couponId;
        }
    }

    /** {@code COUPON_GRANTED}: a store gave the shopper a unit (a grant, durably issued through the claims' gate). */
    public record CouponGranted(long issuedCouponId, long couponId, long storeId, String storeName, String couponName,
                                long userId, Instant issuedAt, Instant expiresAt) implements OutboxEvent {
        @Override
        public String type() {
            return "COUPON_GRANTED";
        }

        @Override
        public long aggregateId() {
            return couponId;
        }
    }

    /** {@code COUPON_REDEEMED}: an issued coupon was used on an order. */
    public record CouponRedeemed(long issuedCouponId, long couponId, long storeId, String storeName, String couponName,
                                 long userId, String orderId, long orderAmount, long discountAmount,
                                 Instant redeemedAt) implements OutboxEvent {
        @Override
        public String type() {
            return "COUPON_REDEEMED";
        }

        @Override
        public long aggregateId() {
            return couponId;
        }
    }

    /** {@code COUPON_REDEMPTION_CANCELLED}: a redemption was undone; {@code discountAmount} is what it had given. */
    public record CouponRedemptionCancelled(long issuedCouponId, long couponId, long storeId, String storeName,
                                            String couponName, long userId, String orderId, long discountAmount,
                                            Instant cancelledAt) implements OutboxEvent {
        @Override
        public String type() {
            return "COUPON_REDEMPTION_CANCELLED";
        }

        @Override
        public long aggregateId() {
            return couponId;
        }
    }

    /** {@code COUPON_EXPIRING}: an issued, unused coupon expires within the notice period (sent once). */
    public record CouponExpiring(long issuedCouponId, long couponId, long storeId, String storeName, String couponName,
                                 long userId, Instant expiresAt) implements OutboxEvent {
        @Override
        public String type() {
            return "COUPON_EXPIRING";
        }

        @Override
        public long aggregateId() {
            return couponId;
        }
    }

    /** {@code COUPON_EXPIRED}: an issued, unused coupon passed its {@code expiresAt}. */
    public record CouponExpired(long issuedCouponId, long couponId, long storeId, String storeName, String couponName,
                                long userId, Instant expiresAt) implements OutboxEvent {
        @Override
        public String type() {
            return "COUPON_EXPIRED";
        }

        @Override
        public long aggregateId() {
            return couponId;
        }
    }

    /** {@code COUPON_ENDED}: no more claims; {@code reason} is {@code OWNER} or {@code STORE_DELETED}. */
    public record CouponEnded(long couponId, long storeId, String storeName, String couponName, String reason,
                              Instant endedAt) implements OutboxEvent {
        @Override
        public String type() {
            return "COUPON_ENDED";
        }

        @Override
        public long aggregateId() {
            return couponId;
        }
    }
}
