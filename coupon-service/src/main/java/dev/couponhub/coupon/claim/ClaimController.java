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
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Claims", description = "First come, first served claims of coupons by shoppers.")
class ClaimController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private final ClaimService claims;
    private final GrantService grants;

    ClaimController(ClaimService claims, GrantService grants) {
        this.claims = claims;
        this.grants = grants;
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
        checkKey(idempotencyKey);
        if (idempotencyKey != null && idempotencyKey.startsWith(GrantService.USER_KEY_PREFIX)) {
            // cannot arrive in a header (ISO-8859-1); refused all the same: such keys are the grants'
            throw ApiException.invalid(List.of(new FieldViolation(IDEMPOTENCY_KEY, "must not start with "
                    + GrantService.USER_KEY_PREFIX)));
        }
        IssuedCouponResponse issued = claims.claim(caller.userId(), id, idempotencyKey);
        return ResponseEntity.created(URI.create("/api/v1/issued-coupons/" + issued.id())).body(issued);
    }

    @PostMapping("/api/v1/coupons/{id:\\d+}/grants")
    @Operation(summary = "Give shoppers a coupon", description = """
            The OWNER of the coupon's store (or one of its API keys) gives each shopper in `userIds` (1 to 1,000 ids) \
            one unit of the coupon. Each unit goes through the same gate as a shopper's claim: it counts against the \
            stock, `perUserLimit` and `perUserDailyLimit` exactly like a claim, also while shoppers claim at the same \
            moment. The answer is per user, in the order of `userIds` (a repeated id is granted and answered once): \
            `issued` lists the units given, `refused` the users not given one, with the reason: `SOLD_OUT`, \
            `CLAIM_LIMIT_REACHED`, `DAILY_LIMIT_REACHED`, `USER_NOT_FOUND` (no such open account), `NOT_A_SHOPPER`, \
            `CLAIM_WINDOW_CLOSED` (the coupon ended during the grant), or `DEPENDENCY_UNAVAILABLE` and \
            `CONCURRENT_MODIFICATION` (not granted now; repeat the request with the same key). Each shopper given a \
            unit gets a `COUPON_GRANTED` alert. With an `Idempotency-Key` (1 to 100 characters; the store's, per \
            coupon) a repeat answers each user what the first request answered them and issues nothing new; users the \
            first request did not name are granted. A coupon outside its claim window (scheduled or ended) is \
            refused as a whole with 422 `CLAIM_WINDOW_CLOSED`, nothing granted.""")
    @SecurityRequirement(name = "bearerAuth")
    @ApiResponse(responseCode = "200", description = "The units issued and the users refused")
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: no ids, more than 1,000, an id that is not "
            + "positive, or an Idempotency-Key that is empty or too long")
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not an OWNER; NOT_STORE_OWNER: another store's "
            + "coupon")
    @ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND")
    @ApiResponse(responseCode = "422", description = "CLAIM_WINDOW_CLOSED: before issueStartsAt, after issueEndsAt "
            + "or ended; nothing granted")
    @ApiResponse(responseCode = "503", description = "DEPENDENCY_UNAVAILABLE: the accounts cannot be looked up; "
            + "nothing granted")
    Grants.Response grant(@Parameter(hidden = true) @RequireRole({Role.OWNER, Role.PARTNER}) Caller caller,
                          @PathVariable long id,
                          @Parameter(description = "1 to 100 characters")
                          @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                          @Valid @RequestBody Grants.Request request) {
        checkKey(idempotencyKey);
        return grants.grant(caller, id, request.userIds(), idempotencyKey);
    }

    private static void checkKey(String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 100)) {
            throw ApiException.invalid(List.of(new FieldViolation(IDEMPOTENCY_KEY, "must be 1 to 100 characters")));
        }
    }
}
