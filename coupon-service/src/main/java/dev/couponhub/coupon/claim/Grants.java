package dev.couponhub.coupon.claim;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** The body and the answer of {@code POST /api/v1/coupons/{id}/grants}. */
final class Grants {

    private Grants() {
    }

    /** The shoppers to give a unit each: 1 to 1,000 ids; a repeated id is granted (and answered) once. */
    record Request(@NotNull @Size(min = 1, max = 1000) List<@NotNull @Positive Long> userIds) {
    }

    /** Per user: the units issued, and the users refused with the reason. */
    record Response(List<Granted> issued, List<Refused> refused) {
    }

    record Granted(long userId, long issuedCouponId, String code) {
    }

    record Refused(long userId,
                   @Schema(description = "SOLD_OUT, CLAIM_LIMIT_REACHED, DAILY_LIMIT_REACHED, USER_NOT_FOUND, "
                           + "NOT_A_SHOPPER, CLAIM_WINDOW_CLOSED (the coupon ended during the grant), or "
                           + "DEPENDENCY_UNAVAILABLE / CONCURRENT_MODIFICATION (not granted now: repeat the request "
                           + "with the same Idempotency-Key)") String code) {
    }
}
