package dev.couponhub.coupon.claim;

import dev.couponhub.coupon.coupon.CouponEndedNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Closes the Redis gate of an ended coupon once the end committed. If Redis cannot be told, claims are still refused:
 * the issue transaction only counts units of coupons that were not ended.
 */
@Component
class CouponEndedRelay {

    private static final Logger log = LoggerFactory.getLogger(CouponEndedRelay.class);

    private final ClaimGate gate;

    CouponEndedRelay(ClaimGate gate) {
        this.gate = gate;
    }

    @TransactionalEventListener
    void onEnded(CouponEndedNotice notice) {
        try {
            gate.markEnded(notice.couponId());
        } catch (RuntimeException e) {
            log.warn("Could not close the claim gate of ended coupon {}: {}", notice.couponId(), e.toString());
        }
    }
}
