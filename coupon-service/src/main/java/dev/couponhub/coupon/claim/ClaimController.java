package dev.couponhub.coupon.claim;

import java.net.URI;
import java.util.List;

import dev.couponhub.coupon.issued.IssuedCouponResponse;
import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.RequireRole;
import dev.couponhub.kit.caller.Role;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.FieldViolation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Claims", description = "First come, first served claims of coupons by shoppers.")
class ClaimController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private final ClaimService claims;

    ClaimController(ClaimService claims) {
        this.claims = claims;
    }

    @PostMapping("/api/v1/coupons/{id:\\d+}/claim")
    @Operation(summary = "Claim a coupon", description = """
            Issues one unit of the coupon to the calling SHOPPER. The 201 is sent only once the issue is durable. \
            Never more are issued than `totalQuantity`, never more to one shopper than `perUserLimit`, nor more \
            in one calendar day of the service zone than `perUserDailyLimit` when the coupon has one. With an \
            `Idempotency-Key` (1 to 100 characters, compared exactly, per shopper) a repeated request answers what \
            the first one answered (the issued coupon as it is now, or the same error) and issues nothing new; a \
            repeat that arrives while the first is still running waits for its answer. The same key on another \
            coupon is refused with 422 IDEMPOTENCY_KEY_REUSED. Error answers are remembered for 24 hours, issued \
            coupons for good.""")
    @SecurityRequirement(name = "bearerAuth")
    @ApiResponse(responseCode = "201", description = "The issued coupon")
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: the Idempotency-Key is empty or too long")
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not a SHOPPER")
    @ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "SOLD_OUT, CLAIM_LIMIT_REACHED, DAILY_LIMIT_REACHED (today's "
            + "claims reached perUserDailyLimit), or CONCURRENT_MODIFICATION: the first request with this "
            + "Idempotency-Key is still running after several seconds")
    @ApiResponse(responseCode = "422", description = "CLAIM_WINDOW_CLOSED: before issueStartsAt, after issueEndsAt "
            + "or ended; IDEMPOTENCY_KEY_REUSED: the caller used this Idempotency-Key for another coupon")
    @ApiResponse(responseCode = "503", description = "DEPENDENCY_UNAVAILABLE: claims are briefly unavailable")
    ResponseEntity<IssuedCouponResponse> claim(@Parameter(hidden = true) @RequireRole(Role.SHOPPER) Caller caller,
                                               @PathVariable long id,
                                               @Parameter(description = "1 to 100 characters")
                                               @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
                                               String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 100)) {
            throw ApiException.invalid(List.of(new FieldViolation(IDEMPOTENCY_KEY, "must be 1 to 100 characters")));
        }
        IssuedCouponResponse issued = claims.claim(caller.userId(), id, idempotencyKey);
        return ResponseEntity.created(URI.create("/api/v1/issued-coupons/" + issued.id())).body(issued);
    }
}
