package dev.couponhub.coupon.redemption;

import dev.couponhub.coupon.issued.IssuedCouponResponse;
import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.RequireRole;
import dev.couponhub.kit.caller.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Redemptions", description = """
        Using issued coupons on orders: by the holder (`channel` SELF), or at the store's counter by code (`channel` \
        COUNTER). A redemption is cancelled only by whoever made it; one made before channels were recorded counts as \
        COUNTER. The same orderId again, through either channel, answers the first redemption with its channel. \
        Discount: FIXED gives \
        min(discountValue, orderAmount); PERCENT gives floor(orderAmount * discountValue / 100), capped by \
        maxDiscountAmount. `finalAmount` = `orderAmount` - `discountAmount`.""")
@SecurityRequirement(name = "bearerAuth")
@ApiResponse(responseCode = "409", description = "ALREADY_REDEEMED (another order), NOT_REDEEMED, ORDER_MISMATCH")
@ApiResponse(responseCode = "403", description = "NOT_REDEEMER: a redemption is cancelled only by whoever made it")
@ApiResponse(responseCode = "422", description = "COUPON_EXPIRED, MIN_ORDER_NOT_MET")
@ApiResponse(responseCode = "404", description = "ISSUED_COUPON_NOT_FOUND")
class RedemptionController {

    private final RedemptionService redemptions;

    RedemptionController(RedemptionService redemptions) {
        this.redemptions = redemptions;
    }

    @PostMapping("/api/v1/issued-coupons/{id:\\d+}/redeem")
    @Operation(summary = "Redeem my coupon", description = """
            Uses the caller's issued coupon on an order. The same `orderId` again answers the same redemption and \
            changes nothing. Of two simultaneous redemptions exactly one wins.""")
    @ApiResponse(responseCode = "200", description = "The redemption")
    RedemptionResponse redeem(@Parameter(hidden = true) Caller caller, @PathVariable long id,
                              @Valid @RequestBody RedemptionRequests.Redeem request) {
        return redemptions.redeem(caller.userId(), id, request.orderId().strip(), request.orderAmount());
    }

    @PostMapping("/api/v1/issued-coupons/{id:\\d+}/cancel-redemption")
    @Operation(summary = "Cancel my redemption", description = """
            Undoes the holder's own redemption (`channel` SELF) of `orderId`: the coupon is ISSUED again, or EXPIRED \
            when past `expiresAt`. A redemption the store made at its counter answers 403 `NOT_REDEEMER`: only the \
            store may cancel it.""")
    @ApiResponse(responseCode = "200", description = "The issued coupon")
    IssuedCouponResponse cancel(@Parameter(hidden = true) Caller caller, @PathVariable long id,
                                @Valid @RequestBody RedemptionRequests.Cancel request) {
        return redemptions.cancel(caller.userId(), id, request.orderId().strip());
    }

    @PostMapping("/api/v1/redemptions")
    @Operation(summary = "Redeem at the counter", description = """
            The OWNER of `storeId` (or one of its API keys, `X-Api-Key`) redeems a shopper's coupon by its code \
            (case-insensitive). An unknown code, or the code of another store's coupon, answers 404 \
            `ISSUED_COUPON_NOT_FOUND`, and so does any text that cannot be a code (not 12 symbols of the code \
            alphabet, whatever its characters); another owner's \
            `storeId` 403 `NOT_STORE_OWNER`.""")
    @ApiResponse(responseCode = "200", description = "The redemption")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not an OWNER; NOT_STORE_OWNER")
    @ApiResponse(responseCode = "404", description = "ISSUED_COUPON_NOT_FOUND: unknown code, a text that cannot be a "
            + "code, or another store's coupon")
    RedemptionResponse atCounter(@Parameter(hidden = true) @RequireRole({Role.OWNER, Role.PARTNER}) Caller caller,
                                 @Valid @RequestBody RedemptionRequests.AtCounter request) {
        return redemptions.redeemAtCounter(caller, request.storeId(), request.code(),
                request.orderId().strip(), request.orderAmount());
    }

    @PostMapping("/api/v1/redemptions/cancel")
    @Operation(summary = "Cancel a redemption at the counter", description = """
            The OWNER of `storeId` (or one of its API keys, `X-Api-Key`) undoes the store's own redemption (`channel` \
            COUNTER) of `orderId`, by the coupon's code: the coupon is ISSUED again, or EXPIRED when past `expiresAt`. \
            A redemption the holder \
            made (SELF) answers 403 `NOT_REDEEMER`. Codes are looked up as for redeeming at the counter.""")
    @ApiResponse(responseCode = "200", description = "The issued coupon")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not an OWNER; NOT_STORE_OWNER; NOT_REDEEMER")
    @ApiResponse(responseCode = "404", description = "ISSUED_COUPON_NOT_FOUND")
    IssuedCouponResponse cancelAtCounter(@Parameter(hidden = true) @RequireRole({Role.OWNER, Role.PARTNER})
                                         Caller caller,
                                         @Valid @RequestBody RedemptionRequests.CancelAtCounter request) {
        return redemptions.cancelAtCounter(caller, request.storeId(), request.code(),
                request.orderId().strip());
    }

    @PostMapping("/api/v1/issued-coupons/{id:\\d+}/preview")
    @Operation(summary = "Preview a redemption of my coupon", description = """
            What redeeming the coupon on an order of `orderAmount` would give now, changing nothing. `reason` is \
            null when it would succeed, or the code it would fail with: `COUPON_EXPIRED`, `MIN_ORDER_NOT_MET`, \
            `ALREADY_REDEEMED`. When it would fail, `discountAmount` is 0 and `finalAmount` the order's amount.""")
    @ApiResponse(responseCode = "200", description = "The preview")
    PreviewResponse preview(@Parameter(hidden = true) Caller caller, @PathVariable long id,
                            @Valid @RequestBody RedemptionRequests.Preview request) {
        return redemptions.preview(caller.userId(), id, request.orderAmount());
    }

    @PostMapping("/api/v1/redemptions/preview")
    @Operation(summary = "Preview a redemption at the counter", description = """
            The OWNER of `storeId` (or one of its API keys, `X-Api-Key`) sees what redeeming the coupon of `code` on \
            an order of `orderAmount` would give, \
            as the holder's preview, changing nothing. Codes are looked up as for redeeming at the counter.""")
    @ApiResponse(responseCode = "200", description = "The preview")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not an OWNER; NOT_STORE_OWNER")
    @ApiResponse(responseCode = "404", description = "ISSUED_COUPON_NOT_FOUND")
    PreviewResponse previewAtCounter(@Parameter(hidden = true) @RequireRole({Role.OWNER, Role.PARTNER})
                                     Caller caller,
                                     @Valid @RequestBody RedemptionRequests.PreviewAtCounter request) {
        return redemptions.previewAtCounter(caller, request.storeId(), request.code(),
                request.orderAmount());
    }
}
