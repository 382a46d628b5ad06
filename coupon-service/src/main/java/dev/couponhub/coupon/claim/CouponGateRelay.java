package dev.couponhub.coupon.claim;

import dev.couponhub.coupon.coupon.CouponAmendedNotice;
import dev.couponhub.coupon.coupon.CouponEndedNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Tells the Redis gate, once the change committed, that a coupon ended or that its owner changed its stock or claim
 * window; this instance's claims also stop using their copy of it. Each runs before the request that made the change
 * is answered.
 */
@Component
class CouponGateRelay {

    private static final Logger log = LoggerFactory.getLogger(CouponGateRelay.class);

    private final ClaimGate gate;
    private final ClaimService claims;

    CouponGateRelay(ClaimGate gate, ClaimService claims) {
        this.gate = gate;
        this.claims = claims;
    }

    /**
     * Closes the gate of an ended coupon. If Redis cannot be told, claims are still refused: the issue transaction
     * only counts units of coupons that were not ended.
     */
    @TransactionalEventListener
    void onEnded(CouponEndedNotice notice) {
        claims.forget(notice.couponId());
        try {
            gate.markEnded(notice.couponId());
        } catch (RuntimeException e) {
            log.warn("Could not close the claim gate of ended coupon {}: {}", notice.couponId(), e.toString());
        }
    }

    /**
     * Gives the gate the new stock and end. If Redis cannot be told, no claim goes beyond the new total or window
     * (MySQL counts each unit under the coupon's rule), but a raised stock stays unclaimable until the state is
     * rebuilt.
     */
    @TransactionalEventListener
    void onAmended(CouponAmendedNotice notice) {
        claims.forget(notice.couponId());
        try {
            gate.amend(notice.couponId(), notice.totalQuantity(), notice.issueEndsAt());
        } catch (RuntimeException e) {
            log.warn("Could not give the claim gate the new stock and end of coupon {}: {}", notice.couponId(),
                    e.toString());
        }
    }
}
