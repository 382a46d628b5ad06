package dev.couponhub.notification.stock;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.couponhub.kit.grpc.GrpcClients;
import dev.couponhub.kit.grpc.GrpcDependency;
import dev.couponhub.notification.config.ClientsProperties;
import dev.couponhub.proto.coupon.v1.CouponServiceGrpc;
import dev.couponhub.proto.coupon.v1.CouponServiceGrpc.CouponServiceBlockingStub;
import dev.couponhub.proto.coupon.v1.GetCouponsRequest;
import org.springframework.stereotype.Component;

/**
 * Asks coupon-service for the stock of coupons over gRPC ({@code GetCoupons}; blocking: call it off the event loop),
 * through the kit's {@link GrpcDependency}: a deadline on every call and a circuit breaker around them. When
 * coupon-service is down, slow or the breaker is open, the caller gets 503 {@code DEPENDENCY_UNAVAILABLE}.
 */
@Component
class CouponStock {

    /** GetCoupons takes at most this many ids per call. */
    static final int BATCH_LIMIT = 500;

    private final GrpcDependency<CouponServiceBlockingStub> coupons;

    CouponStock(GrpcClients clients, ClientsProperties properties) {
        this.coupons = clients.dependency("coupon-service", CouponServiceGrpc::newBlockingStub, properties.coupons(),
                "The coupon stock is not available right now. Try again shortly.");
    }

    /** The stock of those of the coupons that exist, by id; one call per {@link #BATCH_LIMIT} ids. */
    Map<Long, Stock> of(Collection<Long> couponIds) {
        List<Long> ids = couponIds.stream().distinct().toList();
        Map<Long, Stock> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += BATCH_LIMIT) {
            GetCouponsRequest request = GetCouponsRequest.newBuilder()
                    .addAllIds(ids.subList(from, Math.min(ids.size(), from + BATCH_LIMIT))).build();
            coupons.call("GetCoupons", stub -> stub.getCoupons(request)).getCouponsList().forEach(coupon ->
                    found.put(coupon.getId(), new Stock(coupon.getId(), coupon.getRemainingQuantity(),
                            coupon.getStatus())));
        }
        return found;
    }
}
