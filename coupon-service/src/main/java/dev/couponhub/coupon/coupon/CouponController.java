package dev.couponhub.coupon.coupon;

import java.net.URI;

import dev.couponhub.coupon.web.PageResponse;
import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.RequireRole;
import dev.couponhub.kit.caller.Role;
import dev.couponhub.kit.web.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(CouponController.BASE_PATH)
@Tag(name = "Coupons", description = """
        Coupons of stores. Anyone may browse them; the OWNER of a store publishes, changes and ends its coupons. `status`, \
        `issuedQuantity` and `remainingQuantity` are computed when answering, never stale.""")
@ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: a field or query parameter is invalid "
        + "(`errors` names each one), or the body is not valid JSON")
class CouponController {

    static final String BASE_PATH = "/api/v1/coupons";
    private final CouponService coupons;

    CouponController(CouponService coupons) {
        this.coupons = coupons;
    }

    @PostMapping
    @Operation(summary = "Publish a coupon", description = """
            Publishes a coupon of a store the caller owns (OWNER only; ownership is asked of store-service). \
            `minOrderAmount` defaults to 0, `perUserLimit` to 1 (at most 100); `perUserDailyLimit` is optional \
            (1 to `perUserLimit`: at most that many claims by one shopper per calendar day in the service zone, \
            Asia/Seoul by default). `issueEndsAt` must be after \
            `issueStartsAt` and in the future. At least one of `validUntil` and `validDaysAfterIssue` (1..3650) is \
            required; `validUntil` may not be before `issueEndsAt`. `maxDiscountAmount` is for PERCENT only. \
            Text is trimmed. When store-service cannot answer within a second the answer is 503 \
            `DEPENDENCY_UNAVAILABLE` and nothing is published.""")
    @SecurityRequirement(name = "bearerAuth")
    @ApiResponse(responseCode = "201", description = "The new coupon")
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not an OWNER; NOT_STORE_OWNER: another owner's store")
    @ApiResponse(responseCode = "404", description = "STORE_NOT_FOUND: no such store, or it was deleted")
    @ApiResponse(responseCode = "503", description = "DEPENDENCY_UNAVAILABLE: store-service did not answer in time")
    ResponseEntity<CouponResponse> publish(@Parameter(hidden = true) @RequireRole(Role.OWNER) Caller caller,
                                           @Valid @RequestBody CouponRequest request) {
        CouponResponse coupon = coupons.publish(caller.userId(), request);
        return ResponseEntity.created(URI.create(BASE_PATH + "/" + coupon.id())).body(coupon);
    }

    @GetMapping
    @Operation(summary = "Browse coupons", description = """
            Coupons of every store, filtered by `storeId`, the store's `category`, the derived `status` and `q` \
            (a case-insensitive part of the name or description; `%` and `_` are plain characters). `sort`: \
            `newest` (default), `endingSoon` (ACTIVE, then SCHEDULED coupons first, the soonest `issueEndsAt` \
            first; then the others), `popular` (most issued first). Pages are zero-based; `size` 1 to 100.""")
    @ApiResponse(responseCode = "200", description = "A page of coupons")
    PageResponse<CouponResponse> list(
            @RequestParam(required = false) @Positive Long storeId,
            @Parameter(description = "one of FOOD, CAFE, BEAUTY, FASHION, LIFESTYLE, ENTERTAINMENT, OTHER")
            @RequestParam(required = false)
            @Pattern(regexp = "FOOD|CAFE|BEAUTY|FASHION|LIFESTYLE|ENTERTAINMENT|OTHER",
                    message = "must be one of FOOD, CAFE, BEAUTY, FASHION, LIFESTYLE, ENTERTAINMENT, OTHER")
            String category,
            @RequestParam(required = false) CouponStatus status,
            @Parameter(description = "case-insensitive part of the name or description")
            @RequestParam(required = false) @Size(max = 100) String q,
            @RequestParam(defaultValue = "newest") CouponSort sort,
            @Parameter(description = PageQuery.PAGE_DESCRIPTION) @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(description = "page size, 1 to 100")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        PageQuery.of(page, size); // API.md "pages": no page past the first 10,000 items
        return coupons.list(new CouponSearch.Criteria(storeId, category, status, q, sort), page, size);
    }

    @GetMapping("/{id:\\d+}")
    @Operation(summary = "Read a coupon")
    @ApiResponse(responseCode = "200", description = "The coupon")
    @ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND")
    CouponResponse get(@PathVariable long id) {
        return coupons.get(id);
    }

    @PatchMapping("/{id:\\d+}")
    @Operation(summary = "Change a coupon", description = """
            Changes the name, the description, the stock (`totalQuantity`) or the end of the claim window \
            (`issueEndsAt`) of a coupon; an absent or null field is left as it is, an empty `description` removes \
            it. Only the owner of its store may do it (any other caller gets 403 `NOT_STORE_OWNER`). \
            A larger `totalQuantity` is claimable as soon as this answers, also in the middle of a stampede, and \
            never more than the new total is issued. A `totalQuantity` below the units already issued is 409 \
            `QUANTITY_BELOW_ISSUED`; equal to them, the coupon is `SOLD_OUT`. `issueEndsAt` must be in the future, \
            after `issueStartsAt` and not after `validUntil`; a later one reopens claims of a coupon whose window \
            had passed, but a coupon ended by its owner (or its store's deletion) stays ended. Search and the live \
            stock follow within seconds.""")
    @SecurityRequirement(name = "bearerAuth")
    @ApiResponse(responseCode = "200", description = "The changed coupon")
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
    @ApiResponse(responseCode = "403", description = "NOT_STORE_OWNER")
    @ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "QUANTITY_BELOW_ISSUED: more units are issued than the new total")
    CouponResponse edit(@Parameter(hidden = true) Caller caller, @PathVariable long id,
                        @Valid @RequestBody CouponEdit edit) {
        return coupons.edit(caller.userId(), id, edit);
    }

    @PostMapping("/{id:\\d+}/end")
    @Operation(summary = "End a coupon", description = """
            Ends the coupon now: no more claims; coupons already issued stay usable until they expire. Only the \
            owner of its store may do it (any other caller gets 403 `NOT_STORE_OWNER`). Ending it again answers \
            the same ended coupon.""")
    @SecurityRequirement(name = "bearerAuth")
    @ApiResponse(responseCode = "200", description = "The coupon, status ENDED")
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: not signed in")
    @ApiResponse(responseCode = "403", description = "NOT_STORE_OWNER")
    @ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND")
    CouponResponse end(@Parameter(hidden = true) Caller caller, @PathVariable long id) {
        return coupons.end(caller.userId(), id);
    }
}
