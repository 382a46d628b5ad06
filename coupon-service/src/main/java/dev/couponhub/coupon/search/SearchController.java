package dev.couponhub.coupon.search;

import java.util.List;

import dev.couponhub.coupon.coupon.CouponResponse;
import dev.couponhub.coupon.web.PageResponse;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.FieldViolation;
import dev.couponhub.kit.web.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Coupons")
class SearchController {

    static final int MAX_QUERY_LENGTH = 100;
    private final CouponSearchService search;

    SearchController(CouponSearchService search) {
        this.search = search;
    }

    @GetMapping("/api/v1/coupons/search")
    @Operation(summary = "Search coupons", description = """
            Full-text search over the coupon's name, description and store name, best match first (a match in the \
            name counts most, then the store name, then the description). Words match whole or as a prefix \
            (`ameri` finds "Americano"). Korean is analysed into its words: particles and endings are dropped \
            (`카페에서` finds "카페"), compounds are split (`할인` finds "아메리카노할인"), and Korean, Latin words and \
            numbers mix freely. Coupons of every status are found; `status`, `issuedQuantity` and \
            `remainingQuantity` are current (read from the database, not the index). A new or changed coupon is \
            searchable within a few seconds. Pages are zero-based; `size` 1 to 100.""")
    @ApiResponse(responseCode = "200", description = "A page of coupons, best match first")
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: `q` missing, blank or longer than 100 "
            + "characters, or `page`/`size` out of range")
    @ApiResponse(responseCode = "503", description = "DEPENDENCY_UNAVAILABLE: the search engine did not answer in time")
    PageResponse<CouponResponse> search(
            @Parameter(description = "the words to find, 1 to 100 characters (trimmed)", required = true)
            @RequestParam(required = false) String q,
            @Parameter(description = PageQuery.PAGE_DESCRIPTION) @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(description = "page size, 1 to 100")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        PageQuery.of(page, size); // API.md "pages": no page past the first 10,000 items
        String text = q == null ? "" : q.strip();
        if (text.isEmpty() || text.length() > MAX_QUERY_LENGTH) {
            throw ApiException.invalid(List.of(new FieldViolation("q", text.isEmpty() ? "must not be blank"
                    : "must be at most " + MAX_QUERY_LENGTH + " characters")));
        }
        return search.search(text, page, size);
    }
}
