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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/issued-coupons")
@Tag(name = "Issued coupons", description = "The coupons a shopper holds; the units of a coupon, for its owner.")
@SecurityRequirement(name = "bearerAuth")
class IssuedCouponController {

    private final IssuedCouponService service;

    IssuedCouponController(IssuedCouponService service) {
        this.service = service;
    }

    @GetMapping
    @Operation(summary = "My issued coupons", description = """
            The caller's issued coupons, newest first (SHOPPER only). `status` filters by the status as of now: an \
            unused coupon past `expiresAt` is EXPIRED even before the expiry job marked it.""")
    @ApiResponse(responseCode = "200", description = "A page of issued coupons")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not a SHOPPER")
    PageResponse<IssuedCouponResponse> list(
            @Parameter(hidden = true) @RequireRole(Role.SHOPPER) Caller caller,
            @RequestParam(required = false) IssuedCouponStatus status,
            @Parameter(description = PageQuery.PAGE_DESCRIPTION) @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(description = "page size, 1 to 100")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        PageQuery.of(page, size); // API.md "pages": no page past the first 10,000 items
        return service.list(caller.userId(), status, page, size);
    }

    @GetMapping("/{id:\\d+}")
    @Operation(summary = "One of my issued coupons", description = "Someone else's issued coupon answers 404.")
    @ApiResponse(responseCode = "200", description = "The issued coupon")
    @ApiResponse(responseCode = "404", description = "ISSUED_COUPON_NOT_FOUND")
    IssuedCouponResponse get(@Parameter(hidden = true) Caller caller, @PathVariable long id) {
        return service.get(caller.userId(), id);
    }
}
