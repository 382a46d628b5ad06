package dev.couponhub.notification;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.couponhub.proto.coupon.v1.CouponServiceGrpc;
import dev.couponhub.proto.coupon.v1.CouponSummary;
import dev.couponhub.proto.coupon.v1.GetCouponsRequest;
import dev.couponhub.proto.coupon.v1.GetCouponsResponse;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;

/** Plays coupon-service: its real gRPC contract ({@code GetCoupons}) served in-process, over coupons tests add. */
public final class FakeCouponService extends CouponServiceGrpc.CouponServiceImplBase {

    public static final String NAME = "fake-coupon-service-notification-it";
    private static final FakeCouponService INSTANCE = new FakeCouponService();
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L * 10);

    static {
        try {
            Server server = InProcessServerBuilder.forName(NAME).addService(INSTANCE).build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<Long, CouponSummary> coupons = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    public static FakeCouponService instance() {
        return INSTANCE;
    }

    /** A new active coupon with this many units left. */
    public long addCoupon(long remaining) {
        long id = IDS.incrementAndGet();
        coupons.put(id, CouponSummary.newBuilder().setId(id).setName("Coupon " + id).setTotalQuantity(remaining)
                .setRemainingQuantity(remaining).setStatus("ACTIVE").build());
        return id;
    }

    /** The coupon's stock and status as coupon-service would answer them now. */
    public void set(long couponId, long remaining, String status) {
        coupons.computeIfPresent(couponId, (id, coupon) -> coupon.toBuilder().setRemainingQuantity(remaining)
                .setIssuedQuantity(coupon.getTotalQuantity() - remaining).setStatus(status).build());
    }

    public void remove(long couponId) {
        coupons.remove(couponId);
    }

    /** GetCoupons calls answered so far. */
    public int calls() {
        return calls.get();
    }

    @Override
    public void getCoupons(GetCouponsRequest request, StreamObserver<GetCouponsResponse> responseObserver) {
        calls.incrementAndGet();
        GetCouponsResponse.Builder response = GetCouponsResponse.newBuilder();
        request.getIdsList().stream().map(coupons::get).filter(Objects::nonNull).forEach(response::addCoupons);
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
    }
}
