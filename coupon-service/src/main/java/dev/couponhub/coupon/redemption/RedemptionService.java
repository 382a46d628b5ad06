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
import dev.couponhub.coupon.issued.RedemptionChannel;
import dev.couponhub.coupon.issued.RedemptionRefused;
import dev.couponhub.coupon.store.StoreSnapshotRepository;
import dev.couponhub.coupon.web.CouponProblem;
import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.outbox.Outbox;
import dev.couponhub.kit.problem.ApiException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Redemptions. The state change is on {@link IssuedCoupon}; optimistic locking makes one of two simultaneous
 * redemptions of a coupon win; the loser is re-run against the winner's state (same order: the same redemption;
 * another order: ALREADY_REDEEMED). Each redemption records its channel (the holder's SELF, the store's COUNTER), and
 * only that channel may cancel it. Previews run the same rules in a read-only transaction.
 */
@Service
class RedemptionService {

    private static final int ATTEMPTS = 3;

    private final IssuedCouponRepository issued;
    private final StoreSnapshotRepository stores;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final TransactionTemplate readOnly;
    private final Clock clock;

    RedemptionService(IssuedCouponRepository issued, StoreSnapshotRepository stores, Outbox outbox,
                      PlatformTransactionManager transactionManager, Clock clock) {
        this.issued = issued;
        this.stores = stores;
        this.outbox = outbox;
        this.tx = new TransactionTemplate(transactionManager);
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.clock = clock;
    }

    RedemptionResponse redeem(long holderId, long issuedCouponId, String orderId, long orderAmount) {
        return retrying(() -> tx.execute(status -> redeem(held(holderId, issuedCouponId), orderId, orderAmount,
                RedemptionChannel.SELF)));
    }

    RedemptionResponse redeemAtCounter(Caller caller, long storeId, String code, String orderId, long orderAmount) {
        String normalized = checkedCode(caller, storeId, code);
        return retrying(() -> tx.execute(status -> redeem(atStore(caller, storeId, normalized), orderId, orderAmount,
                RedemptionChannel.COUNTER)));
    }

    IssuedCouponResponse cancel(long holderId, long issuedCouponId, String orderId) {
        return retrying(() -> tx.execute(status -> cancel(held(holderId, issuedCouponId), orderId,
                RedemptionChannel.SELF)));
    }

    IssuedCouponResponse cancelAtCounter(Caller caller, long storeId, String code, String orderId) {
        String normalized = checkedCode(caller, storeId, code);
        return retrying(() -> tx.execute(status -> cancel(atStore(caller, storeId, normalized), orderId,
                RedemptionChannel.COUNTER)));
    }

    PreviewResponse preview(long holderId, long issuedCouponId, long orderAmount) {
        return readOnly.execute(status -> PreviewResponse.of(held(holderId, issuedCouponId), orderAmount, now()));
    }

    PreviewResponse previewAtCounter(Caller caller, long storeId, String code, long orderAmount) {
        String normalized = checkedCode(caller, storeId, code);
        return readOnly.execute(status -> PreviewResponse.of(atStore(caller, storeId, normalized), orderAmount, now()));
    }

    /** The holder's issued coupon; someone else's answers the same 404 as a missing one. */
    private IssuedCoupon held(long holderId, long issuedCouponId) {
        return issued.findWithCoupon(issuedCouponId).filter(found -> found.userId() == holderId)
                .orElseThrow(RedemptionService::notFound);
    }

    /**
     * The code in its stored form, once the caller is known to own the store (an unknown store answers 404 with the
     * lookup).
     */
    private String checkedCode(Caller caller, long storeId, String code) {
        stores.findById(storeId).ifPresent(store -> {
            if (!store.isActedForBy(caller)) {
                throw new ApiException(CouponProblem.NOT_STORE_OWNER,
                        "Only the store's owner (or its API keys) may redeem its coupons at the counter.");
            }
        });
        String normalized = code.strip().toUpperCase(Locale.ROOT);
        if (!CouponCodes.isWellFormed(normalized)) {
            // no issued coupon has it; the codes column is ASCII, so other characters must not reach the query
            throw notFound();
        }
        return normalized;
    }

    /** The issued coupon of this code if it belongs to a coupon of this store; any other answers 404. */
    private IssuedCoupon atStore(Caller caller, long storeId, String code) {
        return issued.findByCodeWithCoupon(code)
                .filter(found -> found.coupon().storeId() == storeId)
                .filter(found -> found.coupon().isActedForBy(caller))
                .orElseThrow(RedemptionService::notFound);
    }

    private IssuedCouponResponse cancel(IssuedCoupon unit, String orderId, RedemptionChannel channel) {
        Instant now = now();
        long discount = unit.discountAmount() == null ? 0 : unit.discountAmount();
        boolean expired;
        try {
            expired = unit.cancelRedemption(orderId, channel, now);
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
    }

    private RedemptionResponse redeem(IssuedCoupon unit, String orderId, long orderAmount, RedemptionChannel channel) {
        Instant now = now();
        boolean changed;
        try {
            changed = unit.redeem(orderId, orderAmount, channel, now);
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
            case NOT_REDEEMER -> new ApiException(CouponProblem.NOT_REDEEMER, "Only whoever redeemed this coupon may "
                    + "cancel the redemption: the holder for an online order, the store for one at its counter.");
        };
    }

    private static ApiException notFound() {
        return new ApiException(CouponProblem.ISSUED_COUPON_NOT_FOUND, "There is no such issued coupon.");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
