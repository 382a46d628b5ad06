package dev.couponhub.coupon.coupon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.couponhub.kit.problem.FieldViolation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/v1/coupons}. Rules that span fields are in {@link #violations(Instant)}. */
record CouponRequest(
        @NotNull @Positive Long storeId,
        @NotBlank @Size(max = 100) String name,
        @Size(max = 1000) String description,
        @NotNull DiscountType discountType,
        @Schema(description = "won for FIXED (> 0), percent for PERCENT (1..100)")
        @NotNull @Positive Long discountValue,
        @Schema(description = "default 0") @PositiveOrZero Long minOrderAmount,
        @Schema(description = "optional cap, PERCENT only") @Positive Long maxDiscountAmount,
        @NotNull @Min(1) @Max(MAX_TOTAL_QUANTITY) Long totalQuantity,
        @Schema(description = "default 1, at most " + MAX_PER_USER_LIMIT) @Min(1) @Max(MAX_PER_USER_LIMIT)
        Integer perUserLimit,
        @Schema(description = "optional, 1..perUserLimit: at most that many claims by one shopper per calendar day "
                + "in the service zone") @Min(1) @Max(MAX_PER_USER_LIMIT) Integer perUserDailyLimit,
        @NotNull Instant issueStartsAt,
        @Schema(description = "after issueStartsAt and in the future") @NotNull Instant issueEndsAt,
        @Schema(description = "not before issueEndsAt") Instant validUntil,
        @Schema(description = "1.." + MAX_VALID_DAYS) @Min(1) @Max(MAX_VALID_DAYS) Integer validDaysAfterIssue) {

    static final long MAX_TOTAL_QUANTITY = 10_000_000;
    static final int MAX_PER_USER_LIMIT = 100;
    static final int MAX_VALID_DAYS = 3650;

    /** The rules that span fields; checked only when the fields themselves are valid. */
    List<FieldViolation> violations(Instant now) {
        List<FieldViolation> errors = new ArrayList<>();
        if (discountType == DiscountType.PERCENT && discountValue != null && discountValue > 100) {
            errors.add(new FieldViolation("discountValue", "must be between 1 and 100 for PERCENT"));
        }
        if (discountType == DiscountType.FIXED && maxDiscountAmount != null) {
            errors.add(new FieldViolation("maxDiscountAmount", "is allowed for PERCENT discounts only"));
        }
        if (issueStartsAt != null && issueEndsAt != null) {
            if (!issueStartsAt.isBefore(issueEndsAt)) {
                errors.add(new FieldViolation("issueEndsAt", "must be after issueStartsAt"));
            } else if (!issueEndsAt.isAfter(now)) {
                errors.add(new FieldViolation("issueEndsAt", "must be in the future"));
            }
        }
        int limit = perUserLimit == null ? 1 : perUserLimit;
        if (perUserDailyLimit != null && perUserDailyLimit > limit) {
            errors.add(new FieldViolation("perUserDailyLimit", "must not be more than perUserLimit"));
        }
        if (validUntil == null && validDaysAfterIssue == null) {
            errors.add(new FieldViolation("validUntil", "validUntil or validDaysAfterIssue is required"));
        }
        if (validUntil != null && issueEndsAt != null && validUntil.isBefore(issueEndsAt)) {
            errors.add(new FieldViolation("validUntil", "must not be before issueEndsAt"));
        }
        return errors;
    }

    CouponTerms terms() {
        String trimmedDescription = description == null || description.isBlank() ? null : description.strip();
        return new CouponTerms(name.strip(), trimmedDescription, discountType, discountValue,
                minOrderAmount == null ? 0 : minOrderAmount, maxDiscountAmount, totalQuantity,
                perUserLimit == null ? 1 : perUserLimit, perUserDailyLimit, issueStartsAt, issueEndsAt, validUntil,
                validDaysAfterIssue);
    }
}
