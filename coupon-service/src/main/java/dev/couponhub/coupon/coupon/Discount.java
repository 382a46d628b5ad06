package dev.couponhub.coupon.coupon;

import java.util.Objects;

/**
 * The discount terms of a coupon, in whole won: {@code FIXED} gives {@code min(value, orderAmount)}; {@code PERCENT}
 * gives {@code floor(orderAmount * value / 100)}, capped by {@code maxDiscountAmount} when set. Orders below
 * {@code minOrderAmount} get no discount.
 */
public record Discount(DiscountType type, long value, long minOrderAmount, Long maxDiscountAmount) {

    public Discount {
        Objects.requireNonNull(type, "type");
        if (value <= 0 || type == DiscountType.PERCENT && value > 100) {
            throw new IllegalArgumentException("discount value out of range: " + value);
        }
        if (minOrderAmount < 0) {
            throw new IllegalArgumentException("minOrderAmount must not be negative");
        }
        if (maxDiscountAmount != null && (type != DiscountType.PERCENT || maxDiscountAmount <= 0)) {
            throw new IllegalArgumentException("maxDiscountAmount is a positive cap of PERCENT discounts only");
        }
    }

    /** Whether an order of this amount may use the coupon. */
    public boolean appliesTo(long orderAmount) {
        return orderAmount >= minOrderAmount;
    }

    /** The discount on an order of {@code orderAmount} (> 0) won; never more than the order. */
    public long amountFor(long orderAmount) {
        if (orderAmount <= 0) {
            throw new IllegalArgumentException("orderAmount must be positive");
        }
        return switch (type) {
            case FIXED -> Math.min(value, orderAmount);
            case PERCENT -> {
                // floor(orderAmount * value / 100) without overflow for any long amount
                long percent = orderAmount / 100 * value + orderAmount % 100 * value / 100;
                yield maxDiscountAmount == null ? percent : Math.min(percent, maxDiscountAmount);
            }
        };
    }
}
