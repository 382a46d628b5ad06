package dev.couponhub.coupon.issued;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

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
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
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
    private final IssuedCouponCsv csv;

    CouponIssuedController(IssuedCouponService service, IssuedCouponCsv csv) {
        this.service = service;
        this.csv = csv;
    }

    @GetMapping("/api/v1/coupons/{id:\\d+}/issued-coupons")
    @Operation(summary = "The issued coupons of my coupon", description = """
            The units issued of the coupon, newest first (by unit number, the order of the claims), for the OWNER of \
            its store (or one of its API keys). `status` filters by the status as of now, as for a shopper's own \
            list.""")
    @ApiResponse(responseCode = "200", description = "A page of issued coupons")
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not an OWNER; NOT_STORE_OWNER: another owner's coupon")
    @ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND")
    PageResponse<IssuedCouponResponse> list(
            @Parameter(hidden = true) @RequireRole({Role.OWNER, Role.PARTNER}) Caller caller, @PathVariable long id,
            @RequestParam(required = false) IssuedCouponStatus status,
            @Parameter(description = PageQuery.PAGE_DESCRIPTION) @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(description = "page size, 1 to 100")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        PageQuery.of(page, size); // API.md "pages": no page past the first 10,000 items
        return service.listOfCoupon(caller, id, status, page, size);
    }

    @GetMapping("/api/v1/coupons/{id:\\d+}/issued-coupons.csv")
    @Operation(summary = "Export the issued coupons of my coupon as CSV", description = """
            Every unit issued of the coupon, for the OWNER of its store or its API keys, as \
            `text/csv; charset=UTF-8` (RFC 4180, \
            CRLF line ends, no byte order mark), streamed: a header row \
            `id,code,userId,status,issuedAt,expiresAt,redeemedAt,orderId,discountAmount`, then one row per unit in \
            the order of the claims (by unit number). Times are ISO-8601 UTC, absent values empty, `status` as of \
            the export (an unused unit past its expiry is `EXPIRED`). Text that a spreadsheet would run as a formula \
            (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) starts with `'`. A coupon with no issued \
            unit is the header row alone. Errors come before the first byte, as problem+json.""")
    @ApiResponse(responseCode = "200", description = "The CSV", content = @Content(mediaType = "text/csv",
            schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: not an OWNER; NOT_STORE_OWNER: another owner's coupon")
    @ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND")
    void export(@Parameter(hidden = true) @RequireRole({Role.OWNER, Role.PARTNER}) Caller caller, @PathVariable long id,
                HttpServletResponse response) throws IOException {
        service.checkOwner(caller, id);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename("coupon-" + id + "-issued-coupons.csv").build().toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        // written as it is read: Tomcat sends it chunked, the service holds one chunk of rows and this buffer
        try (Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(),
                StandardCharsets.UTF_8), 64 * 1024)) {
            csv.write(id, out);
        }
    }
}
