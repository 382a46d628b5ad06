package dev.couponhub.coupon.issued;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.querydsl.core.BooleanBuilder;
import com.querydsl.core.types.Predicate;
import com.querydsl.jpa.impl.JPAQueryFactory;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.coupon.QCoupon;
import dev.couponhub.coupon.store.QStoreSnapshot;
import dev.couponhub.coupon.web.CouponProblem;
import dev.couponhub.coupon.web.PageResponse;
import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.web.PageQuery;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A shopper's issued coupons, and a coupon's for the owner of its store. */
@Service
class IssuedCouponService {

    private static final QIssuedCoupon issued = QIssuedCoupon.issuedCoupon;
    private static final QCoupon coupon = QCoupon.coupon;
    private static final QStoreSnapshot store = QStoreSnapshot.storeSnapshot;

    private final IssuedCouponRepository repository;
    private final CouponRepository coupons;
    private final JPAQueryFactory queries;
    private final Clock clock;

    IssuedCouponService(IssuedCouponRepository repository, CouponRepository coupons, JPAQueryFactory queries,
                        Clock clock) {
        this.repository = repository;
        this.coupons = coupons;
        this.queries = queries;
        this.clock = clock;
    }

    /** The holder's issued coupons, newest first; {@code status} as derived now (EXPIRED includes unexpired rows past expiresAt). */
    @Transactional(readOnly = true)
    PageResponse<IssuedCouponResponse> list(long userId, @Nullable IssuedCouponStatus status, int page, int size) {
        Instant now = now();
        BooleanBuilder where = new BooleanBuilder(issued.userId.eq(userId));
        if (status != null) {
            where.and(statusAt(status, now));
        }
        long offset = (long) page * size;
        List<IssuedCoupon> content = queries.selectFrom(issued)
                .join(issued.coupon, coupon).fetchJoin()
                .join(coupon.store, store).fetchJoin()
                .where(where)
                .orderBy(issued.id.desc())
                .offset(offset)
                .limit(size)
                .fetch();
        long total = PageQuery.total(offset, size, content.size(),
                () -> queries.select(issued.count()).from(issued).where(where).fetchOne());
        return PageResponse.of(content, page, size, total).map(found -> IssuedCouponResponse.of(found, now));
    }

    /**
     * The units of one coupon, for the owner of its store: newest first (by unit number, which follows the order of
     * the claims), {@code status} as in {@link #list}. The order reads the index {@code (coupon_id, seq)} backwards
     * (EXPLAIN on a coupon of 366,130 units: one key read and 19 previous-row reads for a page of 20).
     */
    @Transactional(readOnly = true)
    PageResponse<IssuedCouponResponse> listOfCoupon(Caller caller, long couponId, @Nullable IssuedCouponStatus status,
                                                    int page, int size) {
        checkOwner(caller, couponId);
        Instant now = now();
        BooleanBuilder where = new BooleanBuilder(issued.coupon.id.eq(couponId));
        if (status != null) {
            where.and(statusAt(status, now));
        }
        long offset = (long) page * size;
        List<IssuedCoupon> content = queries.selectFrom(issued)
                .where(where)
                .orderBy(issued.seq.desc())
                .offset(offset)
                .limit(size)
                .fetch();
        long total = PageQuery.total(offset, size, content.size(),
                () -> queries.select(issued.count()).from(issued).where(where).fetchOne());
        // each unit's coupon is the one loaded above, with its store: no query per row
        return PageResponse.of(content, page, size, total).map(unit -> IssuedCouponResponse.of(unit, now));
    }

    /**
     * Checks that the coupon exists and that the caller acts for its store (its owner, or one of its API keys).
     *
     * @throws ApiException {@code COUPON_NOT_FOUND} or {@code NOT_STORE_OWNER}
     */
    @Transactional(readOnly = true)
    public void checkOwner(Caller caller, long couponId) {
        Coupon found = coupons.findWithStore(couponId).orElseThrow(() -> new ApiException(
                CouponProblem.COUPON_NOT_FOUND, "There is no coupon with id " + couponId + "."));
        if (!found.isActedForBy(caller)) {
            throw new ApiException(CouponProblem.NOT_STORE_OWNER,
                    "Only the owner of the coupon's store (or its API keys) may see its issued coupons.");
        }
    }

    private static Predicate statusAt(IssuedCouponStatus status, Instant now) {
        return switch (status) {
            case ISSUED -> issued.status.eq(IssuedCouponStatus.ISSUED).and(issued.expiresAt.gt(now));
            case REDEEMED -> issued.status.eq(IssuedCouponStatus.REDEEMED);
            case EXPIRED -> issued.status.eq(IssuedCouponStatus.EXPIRED)
                    .or(issued.status.eq(IssuedCouponStatus.ISSUED).and(issued.expiresAt.loe(now)));
        };
    }

    @Transactional(readOnly = true)
    IssuedCouponResponse get(long userId, long id) {
        return IssuedCouponResponse.of(findHeld(repository, userId, id), now());
    }

    /** The issued coupon if the user holds it; someone else's answers the same 404 as a missing one. */
    static IssuedCoupon findHeld(IssuedCouponRepository repository, long userId, long id) {
        return repository.findWithCoupon(id).filter(found -> found.userId() == userId)
                .orElseThrow(() -> notFound(id));
    }

    static ApiException notFound(long id) {
        return new ApiException(CouponProblem.ISSUED_COUPON_NOT_FOUND, "You hold no issued coupon with id " + id + ".");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
