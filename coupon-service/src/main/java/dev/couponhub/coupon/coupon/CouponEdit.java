package dev.couponhub.coupon.coupon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.couponhub.kit.problem.FieldViolation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PATCH /api/v1/coupons/{id}}: what its owner may change once a coupon is published. An absent or
 * null field leaves that part as it is; rules that need the coupon are in {@link #violations(Coupon, Instant)}.
 */
@Schema(description = "Any of the fields; an absent or null field is left as it is.")
record CouponEdit(
        @Schema(description = "1 to 100 characters, trimmed") @Size(max = 100) String name,
        @Schema(description = "up to 1,000 characters, trimmed; an empty or blank one removes the description")
        @Size(max = 1000) String description,
        @Schema(description = "1 to 10,000,000, not below the units already issued (else 409 QUANTITY_BELOW_ISSUED)")
        @Min(1) @Max(CouponRequest.MAX_TOTAL_QUANTITY) Long totalQuantity,
        @Schema(description = "in the future, after issueStartsAt and not after validUntil")
        Instant issueEndsAt) {

    /** The rules that need the coupon (as locked for the change) and the clock. */
    List<FieldViolation> violations(Coupon coupon, Instant now) {
        List<FieldViolation> errors = new ArrayList<>();
        if (name != null && name.isBlank()) {
            errors.add(new FieldViolation("name", "must not be blank"));
        }
        if (issueEndsAt != null) {
            if (!issueEndsAt.isAfter(now)) {
                errors.add(new FieldViolation("issueEndsAt", "must be in the future"));
            } else if (!issueEndsAt.isAfter(coupon.issueStartsAt())) {
                errors.add(new FieldViolation("issueEndsAt", "must be after issueStartsAt"));
            }
            if (coupon.validUntil() != null && issueEndsAt.isAfter(coupon.validUntil())) {
                errors.add(new FieldViolation("issueEndsAt", "must not be after validUntil"));
            }
        }
        return errors;
    }

    /** Whether the change touches what the claim gate checks (the stock or the window). */
    boolean changesClaims() {
        return totalQuantity != null || issueEndsAt != null;
    }
}
