package dev.couponhub.coupon.issued;

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
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A coupon's issued units, for the owner of its store (issue 17). */
@RestController
@Tag(name = "Issued coupons")
@SecurityRequirement(name = "bearerAuth")
class CouponIssuedController {

    private final IssuedCouponService service;

    CouponIssuedController(IssuedCouponService service) {
        this.service = service;
    }

    @GetMapping("/api/v1/coupons/{id:\\d+}/issued-coupons")
    @Operation(summary = "The issued coupons of my coupon", description = """
            The units issued of the coupon, newest first (by unit number, the order of the claims), for the OWNER of \
            its store. `status` filters by the status as of now, as for a shopper's own list.""")
    @ApiResponse(responseCode = "200", description = "A page of issued coupons")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not an OWNER; NOT_STORE_OWNER: another owner's coupon")
    @ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND")
    PageResponse<IssuedCouponResponse> list(
            @Parameter(hidden = true) @RequireRole(Role.OWNER) Caller caller, @PathVariable long id,
            @RequestParam(required = false) IssuedCouponStatus status,
            @Parameter(description = PageQuery.PAGE_DESCRIPTION) @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(description = "page size, 1 to 100")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        PageQuery.of(page, size); // API.md "pages": no page past the first 10,000 items
        return service.listOfCoupon(caller.userId(), id, status, page, size);
    }
}
