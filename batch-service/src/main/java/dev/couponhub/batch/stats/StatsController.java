package dev.couponhub.batch.stats;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

import dev.couponhub.batch.config.StatsProperties;
import dev.couponhub.batch.store.StoreDirectory;
import dev.couponhub.batch.web.BatchProblem;
import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.RequireRole;
import dev.couponhub.kit.caller.Role;
import dev.couponhub.kit.problem.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Usage statistics", description = "Per coupon and day, as job coupon-usage-stats last computed them")
class StatsController {

    private final StoreStatsQuery query;
    private final StatsOverviewQuery overview;
    private final StoreDirectory stores;
    private final StatsProperties properties;
    private final Clock clock;

    StatsController(StoreStatsQuery query, StatsOverviewQuery overview, StoreDirectory stores,
                    StatsProperties properties, Clock clock) {
        this.query = query;
        this.overview = overview;
        this.stores = stores;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/api/v1/stats/stores/{storeId}/coupons")
    @Operation(summary = "A store's coupon usage per day",
            description = "For the store's owner and ADMIN. Days are calendar days in the service zone (default "
                    + "Asia/Seoul); from and to are inclusive, at most 366 days apart; without them, the last 30 days "
                    + "up to today. issued, redeemed, cancelled (redemptions cancelled) and expired count that day's "
                    + "events; discountTotal sums the discount of that day's redemptions that were not cancelled. "
                    + "Every coupon of the store is listed, every day of the range is present (zeros included). "
                    + "Figures are as of the job's last run (every few minutes for today). Errors: 403 "
                    + "NOT_STORE_OWNER for anyone but the owner and ADMIN, 404 STORE_NOT_FOUND, 400 "
                    + "VALIDATION_FAILED for a bad or too long range, 503 DEPENDENCY_UNAVAILABLE when store-service "
                    + "cannot say who owns the store.")
    StoreStats storeCoupons(Caller caller, @PathVariable long storeId,
                            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        if (storeId <= 0) {
            throw ApiException.invalid("storeId", "must be a positive whole number");
        }
        LocalDate[] range = range(from, to);
        LocalDate start = range[0];
        LocalDate end = range[1];
        if (!caller.isAdmin() && !caller.is(Role.OWNER)) {
            throw new ApiException(BatchProblem.NOT_STORE_OWNER, "Only the store's owner may see its statistics.");
        }
        long owner = stores.ownerOf(storeId); // 404 for a store that does not exist, ADMIN included
        if (!caller.isAdmin() && owner != caller.userId()) {
            throw new ApiException(BatchProblem.NOT_STORE_OWNER, "Only the store's owner may see its statistics.");
        }
        return query.of(storeId, start, end);
    }

    @GetMapping("/api/v1/stats/overview")
    @Operation(summary = "Every store's coupon usage per day, and the leaders (ADMIN)",
            description = "For ADMIN only (anyone else: 403 FORBIDDEN). The same figures as the stores' statistics, "
                    + "from the same job, summed over every store: totals, each day of the range (zeros included), "
                    + "and the 10 stores and the 10 coupons with the most units issued in the range (then the most "
                    + "redeemed); a store or coupon with nothing in the range is not listed, and storeName is null "
                    + "for a store that no longer exists. from and to as for a store's statistics (inclusive, at "
                    + "most 366 days, by default the last 30 days up to today). Errors: 400 VALIDATION_FAILED for a "
                    + "bad or too long range, 503 DEPENDENCY_UNAVAILABLE when store-service cannot name the stores.")
    StatsOverview overview(@RequireRole(Role.ADMIN) Caller caller,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                           LocalDate from,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                           LocalDate to) {
        LocalDate[] range = range(from, to);
        return overview.of(range[0], range[1]);
    }

    /** The range asked for, or its default: 30 days ending today (or starting at from); at most maxRangeDays. */
    private LocalDate[] range(LocalDate from, LocalDate to) {
        LocalDate today = LocalDate.now(clock.withZone(properties.zone()));
        LocalDate end = to != null ? to : from != null ? from.plusDays(29) : today;
        LocalDate start = from != null ? from : end.minusDays(29);
        if (end.isBefore(start)) {
            throw ApiException.invalid("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > properties.maxRangeDays()) {
            throw ApiException.invalid("to", "the range may span at most " + properties.maxRangeDays() + " days");
        }
        return new LocalDate[] {start, end};
    }
}
