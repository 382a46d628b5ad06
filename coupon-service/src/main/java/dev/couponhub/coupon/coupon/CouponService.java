package dev.couponhub.coupon.coupon;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.couponhub.coupon.events.CouponEvents;
import dev.couponhub.coupon.search.SearchSync;
import dev.couponhub.coupon.store.StoreDirectory;
import dev.couponhub.coupon.store.StoreInfo;
import dev.couponhub.coupon.store.StoreSnapshot;
import dev.couponhub.coupon.store.StoreSnapshots;
import dev.couponhub.coupon.web.CouponProblem;
import dev.couponhub.coupon.web.PageResponse;
import dev.couponhub.kit.outbox.Outbox;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.FieldViolation;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Publishing, reading, changing and ending coupons. */
@Service
public class CouponService {

    /** Reason of a COUPON_ENDED event. */
    public static final String ENDED_BY_OWNER = "OWNER";
    public static final String ENDED_STORE_DELETED = "STORE_DELETED";

    private final CouponRepository coupons;
    private final CouponSearch search;
    private final StoreSnapshots storeSnapshots;
    private final StoreDirectory directory;
    private final Outbox outbox;
    private final SearchSync searchSync;
    private final ApplicationEventPublisher notices;
    private final TransactionTemplate tx;
    private final Clock clock;

    CouponService(CouponRepository coupons, CouponSearch search, StoreSnapshots storeSnapshots,
                  StoreDirectory directory, Outbox outbox, SearchSync searchSync, ApplicationEventPublisher notices,
                  PlatformTransactionManager transactionManager, Clock clock) {
        this.coupons = coupons;
        this.search = search;
        this.storeSnapshots = storeSnapshots;
        this.directory = directory;
        this.outbox = outbox;
        this.searchSync = searchSync;
        this.notices = notices;
        this.tx = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Publishes a coupon of the caller's store. The request is checked first; then store-service is asked who owns
     * the store (outside any transaction: no database connection is held while waiting for it).
     */
    CouponResponse publish(long ownerId, CouponRequest request) {
        Instant now = now();
        List<FieldViolation> violations = request.violations(now);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        StoreInfo store = directory.get(request.storeId());
        if (store.deleted()) {
            throw new ApiException(CouponProblem.STORE_NOT_FOUND, "There is no store with id " + request.storeId() + ".");
        }
        if (store.ownerId() != ownerId) {
            throw new ApiException(CouponProblem.NOT_STORE_OWNER, "Only the store's owner may publish its coupons.");
        }
        return tx.execute(status -> {
            StoreSnapshot snapshot = storeSnapshots.refresh(store.id(), store.ownerId(), store.name(), store.category(),
                    now);
            if (snapshot.isDeleted()) {
                throw new ApiException(CouponProblem.STORE_NOT_FOUND, "There is no store with id " + store.id() + ".");
            }
            Coupon coupon = coupons.save(new Coupon(snapshot, request.terms(), now));
            searchSync.couponChanged(coupon.id());
            outbox.append(new CouponEvents.CouponPublished(coupon.id(), snapshot.id(), snapshot.name(), coupon.name(),
                    coupon.discount().type().name(), coupon.discount().value(), coupon.totalQuantity(),
                    coupon.issueStartsAt(), coupon.issueEndsAt()));
            return CouponResponse.of(coupon, now);
        });
    }

    @Transactional(readOnly = true)
    public CouponResponse get(long couponId) {
        return CouponResponse.of(find(couponId), now());
    }

    @Transactional(readOnly = true)
    PageResponse<CouponResponse> list(CouponSearch.Criteria criteria, int page, int size) {
        Instant now = now();
        return search.find(criteria, now, page, size).map(coupon -> CouponResponse.of(coupon, now));
    }

    /** Ends the coupon on behalf of its store's owner; ending an ended coupon again changes nothing. */
    @Transactional
    CouponResponse end(long callerId, long couponId) {
        Instant now = now();
        Coupon coupon = find(couponId);
        if (!coupon.isOwnedBy(callerId)) {
            throw new ApiException(CouponProblem.NOT_STORE_OWNER, "Only the store's owner may end its coupons.");
        }
        endCoupon(coupon, ENDED_BY_OWNER, now);
        return CouponResponse.of(coupon, now);
    }

    /**
     * Changes a coupon on behalf of its store's owner. The coupon row is locked first, so the issued count it is
     * checked against is final until the change commits (claims count under the same lock); after the commit the
     * claim gate takes the new stock and end ({@link CouponAmendedNotice}), so a raised stock is claimable at once.
     */
    @Transactional
    CouponResponse edit(long callerId, long couponId, CouponEdit edit) {
        Instant now = now();
        Coupon coupon = coupons.findWithStoreForUpdate(couponId).orElseThrow(() -> notFound(couponId));
        if (!coupon.isOwnedBy(callerId)) {
            throw new ApiException(CouponProblem.NOT_STORE_OWNER, "Only the store's owner may change its coupons.");
        }
        List<FieldViolation> violations = edit.violations(coupon, now);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        if (edit.totalQuantity() != null && edit.totalQuantity() < coupon.issuedQuantity()) {
            throw new ApiException(CouponProblem.QUANTITY_BELOW_ISSUED, coupon.issuedQuantity()
                    + " units are already issued; totalQuantity cannot be lower.");
        }
        coupon.amend(edit);
        searchSync.couponChanged(coupon.id());
        if (edit.changesClaims()) {
            notices.publishEvent(new CouponAmendedNotice(coupon.id(), coupon.totalQuantity(), coupon.issueEndsAt()));
        }
        return CouponResponse.of(coupon, now);
    }

    /** Ends every coupon of a deleted store, each with a COUPON_ENDED event; inside the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int endCouponsOfStore(long storeId) {
        Instant now = now();
        List<Coupon> open = coupons.findNotEndedOfStore(storeId);
        open.forEach(coupon -> endCoupon(coupon, ENDED_STORE_DELETED, now));
        return open.size();
    }

    private void endCoupon(Coupon coupon, String reason, Instant now) {
        if (coupon.end(now)) {
            searchSync.couponChanged(coupon.id());
            outbox.append(new CouponEvents.CouponEnded(coupon.id(), coupon.storeId(), coupon.store().name(),
                    coupon.name(), reason, now));
            notices.publishEvent(new CouponEndedNotice(coupon.id()));
        }
    }

    private Coupon find(long couponId) {
        return coupons.findWithStore(couponId).orElseThrow(() -> notFound(couponId));
    }

    private static ApiException notFound(long couponId) {
        return new ApiException(CouponProblem.COUPON_NOT_FOUND, "There is no coupon with id " + couponId + ".");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
