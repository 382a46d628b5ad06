package dev.couponhub.coupon.search;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.coupon.CouponResponse;
import dev.couponhub.coupon.web.PageResponse;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Full-text search: Elasticsearch ranks the coupon ids, the database answers the coupons (so status and quantities
 * are current), in the ranking order; a coupon no longer in the database is left out.
 */
@Service
class CouponSearchService {

    private static final Logger log = LoggerFactory.getLogger(CouponSearchService.class);

    private final CouponIndex index;
    private final CouponRepository coupons;
    private final TransactionTemplate readTx;
    private final Clock clock;

    CouponSearchService(CouponIndex index, CouponRepository coupons, PlatformTransactionManager transactionManager,
                        Clock clock) {
        this.index = index;
        this.coupons = coupons;
        this.readTx = new TransactionTemplate(transactionManager);
        this.readTx.setReadOnly(true);
        this.clock = clock;
    }

    /** {@code text} is already trimmed and 1..100 characters. */
    PageResponse<CouponResponse> search(String text, int page, int size) {
        CouponIndex.Matches matches;
        try {
            matches = index.search(text, page, size);
        } catch (Exception e) {
            log.warn("Search failed: Elasticsearch did not answer: {}", e.toString());
            throw new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                    "Search is unavailable right now; please try again shortly.");
        }
        if (matches.ids().isEmpty()) {
            return PageResponse.of(List.of(), page, size, matches.total());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<CouponResponse> content = readTx.execute(status -> {
            Map<Long, Coupon> found = new HashMap<>();
            coupons.findAllWithStore(matches.ids()).forEach(coupon -> found.put(coupon.id(), coupon));
            return matches.ids().stream().map(found::get).filter(Objects::nonNull)
                    .map(coupon -> CouponResponse.of(coupon, now)).toList();
        });
        return PageResponse.of(content, page, size, matches.total());
    }
}
