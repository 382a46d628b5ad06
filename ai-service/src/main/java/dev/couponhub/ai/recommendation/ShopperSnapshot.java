package dev.couponhub.ai.recommendation;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What is known about one shopper when recommending: their own claims (newest first) and the coupons coupon-service
 * says they can claim now. Nothing about any other user.
 */
record ShopperSnapshot(List<PastClaim> history, List<CandidateCoupon> claimable) {

    ShopperSnapshot {
        history = List.copyOf(history);
        claimable = List.copyOf(claimable);
    }

    Set<Long> claimedCouponIds() {
        return history.stream().map(PastClaim::couponId).collect(Collectors.toUnmodifiableSet());
    }

    /** The coupons that may be recommended: claimable now, not sold out and never claimed by this shopper. */
    List<CandidateCoupon> eligible(Instant now) {
        Set<Long> claimed = claimedCouponIds();
        return claimable.stream()
                .filter(coupon -> coupon.claimable(now))
                .filter(coupon -> !claimed.contains(coupon.id()))
                .toList();
    }
}
