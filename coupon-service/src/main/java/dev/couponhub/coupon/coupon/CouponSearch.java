package dev.couponhub.coupon.coupon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.querydsl.core.BooleanBuilder;
import com.querydsl.core.types.OrderSpecifier;
import com.querydsl.core.types.dsl.BooleanExpression;
import com.querydsl.core.types.dsl.CaseBuilder;
import com.querydsl.core.types.dsl.NumberExpression;
import com.querydsl.jpa.impl.JPAQueryFactory;
import dev.couponhub.coupon.store.QStoreSnapshot;
import dev.couponhub.coupon.web.PageResponse;
import dev.couponhub.kit.web.PageQuery;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/** The list query over coupons (QueryDSL); the derived status is translated into time and stock predicates. */
@Component
class CouponSearch {

    static final char LIKE_ESCAPE = '!';

    private static final QCoupon coupon = QCoupon.coupon;
    private static final QStoreSnapshot store = QStoreSnapshot.storeSnapshot;

    private final JPAQueryFactory queries;

    CouponSearch(JPAQueryFactory queries) {
        this.queries = queries;
    }

    /** The criteria of one list request; null means "any". */
    record Criteria(@Nullable Long storeId, @Nullable String category, @Nullable CouponStatus status,
                    @Nullable String q, CouponSort sort) {
    }

    PageResponse<Coupon> find(Criteria criteria, Instant now, int page, int size) {
        BooleanBuilder where = new BooleanBuilder();
        if (criteria.storeId() != null) {
            where.and(coupon.store.id.eq(criteria.storeId()));
        }
        if (criteria.category() != null) {
            where.and(store.category.eq(criteria.category()));
        }
        if (criteria.status() != null) {
            where.and(statusIs(criteria.status(), now));
        }
        if (criteria.q() != null && !criteria.q().isBlank()) {
            String pattern = containsPattern(criteria.q().strip());
            where.and(coupon.name.lower().like(pattern, LIKE_ESCAPE)
                    .or(coupon.description.lower().like(pattern, LIKE_ESCAPE)));
        }
        long offset = (long) page * size;
        List<Coupon> content = queries.selectFrom(coupon)
                .join(coupon.store, store).fetchJoin()
                .where(where)
                .orderBy(order(criteria.sort(), now))
                .offset(offset)
                .limit(size)
                .fetch();
        long total = PageQuery.total(offset, size, content.size(),
                () -> queries.select(coupon.count()).from(coupon).join(coupon.store, store).where(where).fetchOne());
        return PageResponse.of(content, page, size, total);
    }

    /** The same rules as {@link Coupon#statusAt(Instant)}, as a predicate. */
    static BooleanExpression statusIs(CouponStatus status, Instant now) {
        BooleanExpression ended = coupon.endedAt.isNotNull().or(coupon.issueEndsAt.loe(now));
        BooleanExpression open = coupon.endedAt.isNull().and(coupon.issueEndsAt.gt(now));
        return switch (status) {
            case ENDED -> ended;
            case SCHEDULED -> open.and(coupon.issueStartsAt.gt(now));
            case SOLD_OUT -> open.and(coupon.issueStartsAt.loe(now))
                    .and(coupon.issuedQuantity.goe(coupon.totalQuantity));
            case ACTIVE -> open.and(coupon.issueStartsAt.loe(now))
                    .and(coupon.issuedQuantity.lt(coupon.totalQuantity));
        };
    }

    private static OrderSpecifier<?>[] order(CouponSort sort, Instant now) {
        List<OrderSpecifier<?>> order = new ArrayList<>();
        switch (sort) {
            case newest -> order.add(coupon.id.desc());
            case popular -> {
                order.add(coupon.issuedQuantity.desc());
                order.add(coupon.id.desc());
            }
            case endingSoon -> {
                NumberExpression<Integer> group = new CaseBuilder()
                        .when(statusIs(CouponStatus.ACTIVE, now)).then(0)
                        .when(statusIs(CouponStatus.SCHEDULED, now)).then(1)
                        .otherwise(2);
                order.add(group.asc());
                order.add(coupon.issueEndsAt.asc());
                order.add(coupon.id.asc());
            }
        }
        return order.toArray(OrderSpecifier[]::new);
    }

    /** A LIKE pattern (escape character {@value #LIKE_ESCAPE}) matching text that contains {@code text}, lower case. */
    static String containsPattern(String text) {
        StringBuilder pattern = new StringBuilder(text.length() + 8).append('%');
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
                pattern.append(LIKE_ESCAPE);
            }
            pattern.append(c);
        }
        return pattern.append('%').toString();
    }
}
