package dev.couponhub.ai.recommendation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import dev.couponhub.ai.config.CouponClientProperties;
import dev.couponhub.kit.grpc.GrpcClients;
import dev.couponhub.kit.grpc.GrpcDependency;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.proto.coupon.v1.ClaimRecord;
import dev.couponhub.proto.coupon.v1.CouponServiceGrpc;
import dev.couponhub.proto.coupon.v1.CouponServiceGrpc.CouponServiceBlockingStub;
import dev.couponhub.proto.coupon.v1.CouponSummary;
import dev.couponhub.proto.coupon.v1.GetClaimHistoryRequest;
import dev.couponhub.proto.coupon.v1.ListClaimableCouponsRequest;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Reads a shopper's claim history and claimable coupons from coupon-service over gRPC through the kit's
 * {@link GrpcDependency}: a deadline on every call, one circuit breaker around them, a warm-up at start-up (its first
 * attempt before the service reports ready). Without those nothing can be recommended, so any failure (down, slow,
 * breaker open) is 503 {@code DEPENDENCY_UNAVAILABLE} at once.
 */
@Component
class CouponDirectory {

    private final GrpcDependency<CouponServiceBlockingStub> coupons;
    private final CouponClientProperties properties;

    CouponDirectory(GrpcClients clients, CouponClientProperties properties) {
        this.coupons = clients.dependency("coupon-service", CouponServiceGrpc::newBlockingStub, properties.client(),
                "Coupons are not available right now, so nothing can be recommended. Try again shortly.");
        this.properties = properties;
    }

    /**
     * The shopper's claims and the coupons they can claim now.
     *
     * @throws ApiException {@code DEPENDENCY_UNAVAILABLE} when coupon-service cannot answer in time
     */
    ShopperSnapshot snapshot(long userId) {
        List<CandidateCoupon> claimable = coupons.call("ListClaimableCoupons", stub -> stub
                .listClaimableCoupons(ListClaimableCouponsRequest.newBuilder()
                        .setUserId(userId).setLimit(properties.candidateLimit()).build()))
                .getCouponsList().stream().map(CouponDirectory::candidate).toList();
        List<PastClaim> history = coupons.call("GetClaimHistory", stub -> stub
                .getClaimHistory(GetClaimHistoryRequest.newBuilder()
                        .setUserId(userId).setLimit(properties.historyLimit()).build()))
                .getClaimsList().stream().map(CouponDirectory::claim).toList();
        return new ShopperSnapshot(history, claimable);
    }

    private static CandidateCoupon candidate(CouponSummary c) {
        return new CandidateCoupon(c.getId(), c.getStoreId(), c.getStoreName(), c.getCategory(), c.getName(),
                c.getDescription(), c.getDiscountType().name(), c.getDiscountValue(), c.getTotalQuantity(),
                c.getIssuedQuantity(), c.getRemainingQuantity(), instant(c.getIssueEndsAt()), c.getStatus());
    }

    private static PastClaim claim(ClaimRecord r) {
        return new PastClaim(r.getCouponId(), r.getStoreId(), r.getCategory(), r.getStatus());
    }

    @Nullable
    static Instant instant(String iso) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
