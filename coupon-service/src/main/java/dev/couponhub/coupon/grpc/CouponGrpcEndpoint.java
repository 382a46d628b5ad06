package dev.couponhub.coupon.grpc;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.querydsl.jpa.impl.JPAQueryFactory;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.coupon.CouponStatus;
import dev.couponhub.coupon.coupon.DiscountType;
import dev.couponhub.coupon.coupon.QCoupon;
import dev.couponhub.coupon.issued.IssuedCoupon;
import dev.couponhub.coupon.issued.QIssuedCoupon;
import dev.couponhub.coupon.store.QStoreSnapshot;
import dev.couponhub.proto.coupon.v1.ClaimRecord;
import dev.couponhub.proto.coupon.v1.CouponServiceGrpc;
import dev.couponhub.proto.coupon.v1.CouponSummary;
import dev.couponhub.proto.coupon.v1.GetClaimHistoryRequest;
import dev.couponhub.proto.coupon.v1.GetClaimHistoryResponse;
import dev.couponhub.proto.coupon.v1.GetCouponsRequest;
import dev.couponhub.proto.coupon.v1.GetCouponsResponse;
import dev.couponhub.proto.coupon.v1.ListClaimableCouponsRequest;
import dev.couponhub.proto.coupon.v1.ListClaimableCouponsResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import net.devh.boot.grpc.server.service.GrpcService;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** gRPC {@code couponhub.coupon.v1.CouponService}: coupon look-ups for ai-service and batch-service. */
@GrpcService
class CouponGrpcEndpoint extends CouponServiceGrpc.CouponServiceImplBase {

    static final int MAX_IDS = 1000;
    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 100;

    private static final QCoupon coupon = QCoupon.coupon;
    private static final QStoreSnapshot store = QStoreSnapshot.storeSnapshot;
    private static final QIssuedCoupon issued = QIssuedCoupon.issuedCoupon;

    private final JPAQueryFactory queries;
    private final CouponRepository coupons;
    private final TransactionTemplate readTx;
    private final Clock clock;

    CouponGrpcEndpoint(JPAQueryFactory queries, CouponRepository coupons, PlatformTransactionManager transactionManager,
                       Clock clock) {
        this.queries = queries;
        this.coupons = coupons;
        this.readTx = new TransactionTemplate(transactionManager);
        this.readTx.setReadOnly(true);
        this.clock = clock;
    }

    /** ACTIVE coupons with stock that the user may still claim, the soonest-ending first. */
    @Override
    public void listClaimableCoupons(ListClaimableCouponsRequest request,
                                     StreamObserver<ListClaimableCouponsResponse> responseObserver) {
        Integer limit = limit(request.getLimit(), responseObserver);
        if (limit == null) {
            return;
        }
        long userId = request.getUserId();
        Instant now = clock.instant();
        ListClaimableCouponsResponse response = readTx.execute(status -> {
            Map<Long, Long> held = userId <= 0 ? Map.of() : queries.select(issued.coupon.id, issued.count())
                    .from(issued).where(issued.userId.eq(userId)).groupBy(issued.coupon.id).fetch().stream()
                    .collect(Collectors.toMap(t -> t.get(issued.coupon.id), t -> t.get(issued.count())));
            // over-fetch a little so that coupons the user already holds to the limit do not shrink the answer much
            List<Coupon> active = queries.selectFrom(coupon).join(coupon.store, store).fetchJoin()
                    .where(coupon.endedAt.isNull(), coupon.issueStartsAt.loe(now), coupon.issueEndsAt.gt(now),
                            coupon.issuedQuantity.lt(coupon.totalQuantity), store.deleted.isFalse())
                    .orderBy(coupon.issueEndsAt.asc(), coupon.id.asc())
                    .limit(limit + held.size())
                    .fetch();
            ListClaimableCouponsResponse.Builder builder = ListClaimableCouponsResponse.newBuilder();
            active.stream()
                    .filter(c -> held.getOrDefault(c.id(), 0L) < c.perUserLimit())
                    .limit(limit)
                    .map(c -> summary(c, now))
                    .forEach(builder::addCoupons);
            return builder.build();
        });
        responseObserver.onNext(response);
        responseObserver.onCompleted();
    }

    @Override
    public void getClaimHistory(GetClaimHistoryRequest request,
                                StreamObserver<GetClaimHistoryResponse> responseObserver) {
        Integer limit = limit(request.getLimit(), responseObserver);
        if (limit == null) {
            return;
        }
        Instant now = clock.instant();
        GetClaimHistoryResponse response = readTx.execute(status -> {
            List<IssuedCoupon> units = queries.selectFrom(issued)
                    .join(issued.coupon, coupon).fetchJoin()
                    .join(coupon.store, store).fetchJoin()
                    .where(issued.userId.eq(request.getUserId()))
                    .orderBy(issued.id.desc())
                    .limit(limit)
                    .fetch();
            GetClaimHistoryResponse.Builder builder = GetClaimHistoryResponse.newBuilder();
            for (IssuedCoupon unit : units) {
                builder.addClaims(ClaimRecord.newBuilder()
                        .setIssuedCouponId(unit.id())
                        .setCouponId(unit.coupon().id())
                        .setStoreId(unit.coupon().storeId())
                        .setCategory(unit.coupon().store().category())
                        .setStatus(unit.statusAt(now).name())
                        .setIssuedAt(unit.issuedAt().toString()));
            }
            return builder.build();
        });
        responseObserver.onNext(response);
        responseObserver.onCompleted();
    }

    @Override
    public void getCoupons(GetCouponsRequest request, StreamObserver<GetCouponsResponse> responseObserver) {
        if (request.getIdsCount() > MAX_IDS) {
            responseObserver.onError(Status.INVALID_ARGUMENT
                    .withDescription("at most " + MAX_IDS + " ids per call").asRuntimeException());
            return;
        }
        Set<Long> ids = new LinkedHashSet<>(request.getIdsList());
        Instant now = clock.instant();
        GetCouponsResponse response = readTx.execute(status -> {
            GetCouponsResponse.Builder builder = GetCouponsResponse.newBuilder();
            if (!ids.isEmpty()) {
                Map<Long, Coupon> found = coupons.findAllWithStore(ids).stream()
                        .collect(Collectors.toMap(Coupon::id, Function.identity()));
                ids.stream().map(found::get).filter(Objects::nonNull).map(c -> summary(c, now))
                        .forEach(builder::addCoupons);
            }
            return builder.build();
        });
        responseObserver.onNext(response);
        responseObserver.onCompleted();
    }

    static CouponSummary summary(Coupon c, Instant now) {
        CouponStatus status = c.statusAt(now);
        return CouponSummary.newBuilder()
                .setId(c.id())
                .setStoreId(c.storeId())
                .setStoreName(c.store().name())
                .setCategory(c.store().category())
                .setName(c.name())
                .setDescription(c.description() == null ? "" : c.description())
                .setDiscountType(c.discount().type() == DiscountType.FIXED
                        ? dev.couponhub.proto.coupon.v1.DiscountType.FIXED
                        : dev.couponhub.proto.coupon.v1.DiscountType.PERCENT)
                .setDiscountValue(c.discount().value())
                .setTotalQuantity(c.totalQuantity())
                .setIssuedQuantity(c.issuedQuantity())
                .setRemainingQuantity(c.remainingQuantity())
                .setIssueStartsAt(c.issueStartsAt().toString())
                .setIssueEndsAt(c.issueEndsAt().toString())
                .setStatus(status.name())
                .build();
    }

    private static Integer limit(int requested, StreamObserver<?> observer) {
        if (requested < 0 || requested > MAX_LIMIT) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription("limit must be 0.." + MAX_LIMIT)
                    .asRuntimeException());
            return null;
        }
        return requested == 0 ? DEFAULT_LIMIT : requested;
    }
}
