package dev.couponhub.ai;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.couponhub.proto.coupon.v1.ClaimRecord;
import dev.couponhub.proto.coupon.v1.CouponServiceGrpc;
import dev.couponhub.proto.coupon.v1.CouponSummary;
import dev.couponhub.proto.coupon.v1.DiscountType;
import dev.couponhub.proto.coupon.v1.GetClaimHistoryRequest;
import dev.couponhub.proto.coupon.v1.GetClaimHistoryResponse;
import dev.couponhub.proto.coupon.v1.GetCouponsRequest;
import dev.couponhub.proto.coupon.v1.GetCouponsResponse;
import dev.couponhub.proto.coupon.v1.ListClaimableCouponsRequest;
import dev.couponhub.proto.coupon.v1.ListClaimableCouponsResponse;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * A stand-in for the remote coupon-service: the real gRPC contract served in-process, over the coupons and claims the
 * tests give each user. Not infrastructure: it plays the other service.
 */
public final class FakeCouponService extends CouponServiceGrpc.CouponServiceImplBase {

    public static final String NAME = "fake-coupon-service-it";
    private static final FakeCouponService INSTANCE = new FakeCouponService();

    static {
        try {
            Server server = InProcessServerBuilder.forName(NAME).addService(INSTANCE).build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<Long, List<CouponSummary>> claimable = new ConcurrentHashMap<>();
    private final Map<Long, List<ClaimRecord>> history = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    public static FakeCouponService instance() {
        return INSTANCE;
    }

    public void setClaimable(long userId, List<CouponSummary> coupons) {
        claimable.put(userId, List.copyOf(coupons));
    }

    public void setHistory(long userId, List<ClaimRecord> claims) {
        history.put(userId, List.copyOf(claims));
    }

    public int calls() {
        return calls.get();
    }

    /** An active coupon with {@code issued} of 100 units issued, open for another 30 days. */
    public static CouponSummary coupon(long id, long storeId, String category, long issued) {
        return CouponSummary.newBuilder().setId(id).setStoreId(storeId).setStoreName("Store " + storeId)
                .setCategory(category).setName("Coupon " + id).setDescription("Test coupon " + id)
                .setDiscountType(DiscountType.FIXED).setDiscountValue(1000).setTotalQuantity(100)
                .setIssuedQuantity(issued).setRemainingQuantity(100 - issued)
                .setIssueStartsAt("2026-01-01T00:00:00Z")
                .setIssueEndsAt(java.time.Instant.now().plusSeconds(30L * 24 * 3600).toString())
                .setStatus(issued >= 100 ? "SOLD_OUT" : "ACTIVE").build();
    }

    public static ClaimRecord claim(long couponId, long storeId, String category) {
        return ClaimRecord.newBuilder().setIssuedCouponId(couponId * 10).setCouponId(couponId).setStoreId(storeId)
                .setCategory(category).setStatus("ISSUED").setIssuedAt("2026-11-01T00:00:00Z").build();
    }

    @Override
    public void listClaimableCoupons(ListClaimableCouponsRequest request,
                                     StreamObserver<ListClaimableCouponsResponse> responseObserver) {
        calls.incrementAndGet();
        responseObserver.onNext(ListClaimableCouponsResponse.newBuilder()
                .addAllCoupons(claimable.getOrDefault(request.getUserId(), List.of())).build());
        responseObserver.onCompleted();
    }

    @Override
    public void getClaimHistory(GetClaimHistoryRequest request,
                                StreamObserver<GetClaimHistoryResponse> responseObserver) {
        calls.incrementAndGet();
        responseObserver.onNext(GetClaimHistoryResponse.newBuilder()
                .addAllClaims(history.getOrDefault(request.getUserId(), List.of())).build());
        responseObserver.onCompleted();
    }

    @Override
    public void getCoupons(GetCouponsRequest request, StreamObserver<GetCouponsResponse> responseObserver) {
        responseObserver.onNext(GetCouponsResponse.getDefaultInstance());
        responseObserver.onCompleted();
    }
}
