package dev.couponhub.coupon.redemption;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Supplier;

import dev.couponhub.coupon.claim.CouponCodes;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.events.CouponEvents;
import dev.couponhub.coupon.issued.IssuedCoupon;
import dev.couponhub.coupon.issued.IssuedCouponRepository;
import dev.couponhub.coupon.issued.IssuedCouponResponse;
import dev.couponhub.coupon.issued.RedemptionRefused;
import dev.couponhub.coupon.store.StoreSnapshotRepository;
import dev.couponhub.coupon.web.CouponProblem;
import dev.couponhub.kit.outbox.Outbox;
import dev.couponhub.kit.problem.ApiException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Redemptions. The state change is on {@link IssuedCoupon}; optimistic locking makes one of two simultaneous
 * redemptions of a coupon win; the loser is re-run against the winner's state (same order: the same redemption;
 * another order: ALREADY_REDEEMED).
 */
@Service
class RedemptionService {

    private static final int ATTEMPTS = 3;

    private final IssuedCouponRepository issued;
    private final StoreSnapshotRepository stores;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;

    RedemptionService(IssuedCouponRepository issued, StoreSnapshotRepository stores, Outbox outbox,
                      PlatformTransactionManager transactionManager, Clock clock) {
        this.issued = issued;
        this.stores = stores;
        this.outbox = outbox;
        this.tx = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    RedemptionResponse redeem(long holderId, long issuedCouponId, String orderId, long orderAmount) {
        return retrying(() -> tx.execute(status -> {
            IssuedCoupon unit = issued.findWithCoupon(issuedCouponId).filter(found -> found.userId() == holderId)
                    .orElseThrow(() -> notFound());
            return redeem(unit, orderId, orderAmount);
        }));
    }

    RedemptionResponse redeemAtCounter(long ownerId, long storeId, String code, String orderId, long orderAmount) {
        stores.findById(storeId).ifPresent(store -> {
            if (!store.isOwnedBy(ownerId)) {
                throw new ApiException(CouponProblem.NOT_STORE_OWNER, "Only the store's owner may redeem at its counter.");
            }
        });
        String normalized = code.strip().toUpperCase(Locale.ROOT);
        if (!CouponCodes.isWellFormed(normalized)) {
            // no issued coupon has it; the codes column is ASCII, so other characters must not reach the query
            throw notFound();
        }
        return retrying(() -> tx.execute(status -> {
            IssuedCoupon unit = issued.findByCodeWithCoupon(normalized)
                    .filter(found -> found.coupon().storeId() == storeId)
                    .filter(found -> found.coupon().isOwnedBy(ownerId))
                    .orElseThrow(() -> notFound());
            return redeem(unit, orderId, orderAmount);
        }));
    }

    IssuedCouponResponse cancel(long holderId, long issuedCouponId, String orderId) {
        return retrying(() -> tx.execute(status -> {
            Instant now = now();
            IssuedCoupon unit = issued.findWithCoupon(issuedCouponId).filter(found -> found.userId() == holderId)
                    .orElseThrow(() -> notFound());
            long discount = unit.discountAmount() == null ? 0 : unit.discountAmount();
            boolean expired;
            try {
                expired = unit.cancelRedemption(orderId, now);
            } catch (RedemptionRefused refused) {
                throw toApi(refused);
            }
            issued.flush();
            Coupon coupon = unit.coupon();
            outbox.append(new CouponEvents.CouponRedemptionCancelled(unit.id(), coupon.id(), coupon.storeId(),
                    coupon.store().name(), coupon.name(), unit.userId(), orderId, discount, now));
            if (expired) {
                // the expiry job only expires unused coupons: this one passed its expiry while redeemed, and the
                // statistics count it as expired only through this event
                outbox.append(new CouponEvents.CouponExpired(unit.id(), coupon.id(), coupon.storeId(),
                        coupon.store().name(), coupon.name(), unit.userId(), unit.expiresAt()));
            }
            return IssuedCouponResponse.of(unit, now);
        }));
    }

    private RedemptionResponse redeem(IssuedCoupon unit, String orderId, long orderAmount) {
        Instant now = now();
        boolean changed;
        try {
            changed = unit.redeem(orderId, orderAmount, now);
        } catch (RedemptionRefused refused) {
            throw toApi(refused);
        }
        if (changed) {
            issued.flush(); // the version check happens here, inside the transaction
            Coupon coupon = unit.coupon();
            outbox.append(new CouponEvents.CouponRedeemed(unit.id(), coupon.id(), coupon.storeId(),
                    coupon.store().name(), coupon.name(), unit.userId(), orderId, orderAmount,
                    unit.discountAmount(), now));
        }
        return RedemptionResponse.of(unit);
    }

    private static <T> T retrying(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (ObjectOptimisticLockingFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw new ApiException(CouponProblem.CONCURRENT_MODIFICATION,
                            "The coupon changed meanwhile. Try again.");
                }
            }
        }
    }

    private static ApiException toApi(RedemptionRefused refused) {
        return switch (refused.reason()) {
            case ALREADY_REDEEMED -> new ApiException(CouponProblem.ALREADY_REDEEMED,
                    "This coupon was already redeemed on another order.");
            case EXPIRED -> new ApiException(CouponProblem.COUPON_EXPIRED, "This coupon has expired.");
            case MIN_ORDER_NOT_MET -> new ApiException(CouponProblem.MIN_ORDER_NOT_MET,
                    "The order is below the coupon's minimum order amount.");
            case NOT_REDEEMED -> new ApiException(CouponProblem.NOT_REDEEMED, "This coupon is not redeemed.");
            case ORDER_MISMATCH -> new ApiException(CouponProblem.ORDER_MISMATCH,
                    "This coupon was redeemed on another order.");
        };
    }

    private static ApiException notFound() {
        return new ApiException(CouponProblem.ISSUED_COUPON_NOT_FOUND, "There is no such issued coupon.");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
