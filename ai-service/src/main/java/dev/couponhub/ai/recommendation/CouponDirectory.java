package dev.couponhub.ai.recommendation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.couponhub.ai.config.CouponClientProperties;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import dev.couponhub.proto.coupon.v1.ClaimRecord;
import dev.couponhub.proto.coupon.v1.CouponServiceGrpc;
import dev.couponhub.proto.coupon.v1.CouponSummary;
import dev.couponhub.proto.coupon.v1.GetClaimHistoryRequest;
import dev.couponhub.proto.coupon.v1.GetCouponsRequest;
import dev.couponhub.proto.coupon.v1.ListClaimableCouponsRequest;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.grpc.StatusRuntimeException;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Reads a shopper's claim history and claimable coupons from coupon-service over gRPC, with a deadline on every call
 * and one circuit breaker around them. Without those nothing can be recommended, so any failure (down, slow, breaker
 * open) is 503 {@code DEPENDENCY_UNAVAILABLE} at once.
 */
@Component
class CouponDirectory {

    private static final Logger log = LoggerFactory.getLogger(CouponDirectory.class);

    @GrpcClient("coupon-service")
    private CouponServiceGrpc.CouponServiceBlockingStub coupons;

    private final CouponClientProperties properties;
    private final CircuitBreaker breaker;

    CouponDirectory(CouponClientProperties properties) {
        this.properties = properties;
        CouponClientProperties.Breaker settings = properties.breaker();
        this.breaker = CircuitBreaker.of("coupon-service", CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .slidingWindowSize(settings.slidingWindowSize())
                .waitDurationInOpenState(settings.waitInOpenState())
                .build());
    }

    /**
     * The shopper's claims and the coupons they can claim now.
     *
     * @throws ApiException {@code DEPENDENCY_UNAVAILABLE} when coupon-service cannot answer in time
     */
    ShopperSnapshot snapshot(long userId) {
        List<CandidateCoupon> claimable = call("ListClaimableCoupons", () -> stub()
                .listClaimableCoupons(ListClaimableCouponsRequest.newBuilder()
                        .setUserId(userId).setLimit(properties.candidateLimit()).build()))
                .getCouponsList().stream().map(CouponDirectory::candidate).toList();
        List<PastClaim> history = call("GetClaimHistory", () -> stub()
                .getClaimHistory(GetClaimHistoryRequest.newBuilder()
                        .setUserId(userId).setLimit(properties.historyLimit()).build()))
                .getClaimsList().stream().map(CouponDirectory::claim).toList();
        return new ShopperSnapshot(history, claimable);
    }

    private CouponServiceGrpc.CouponServiceBlockingStub stub() {
        return coupons.withDeadlineAfter(properties.deadline().toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T call(String method, Supplier<T> call) {
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException open) {
            throw unavailable();
        } catch (StatusRuntimeException e) {
            log.warn("coupon-service could not answer {}: {}", method, e.getStatus());
            throw unavailable();
        }
    }

    /**
     * The first call on a fresh channel loads gRPC's classes, resolves the address and connects; on a busy machine
     * that alone can outlast a deadline, so the first shopper after a start would get a 503 late. Once started, one
     * harmless look-up (no ids) runs at once, then in the background every 2 s until coupon-service answers (it may
     * start after us). It bypasses the circuit breaker: its failures say nothing about load.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (touch()) {
            return;
        }
        Thread warmUp = new Thread(() -> {
            for (int attempt = 1; attempt <= 60; attempt++) {
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (touch()) {
                    return;
                }
            }
        }, "coupon-directory-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private boolean touch() {
        try {
            coupons.withDeadlineAfter(2, TimeUnit.SECONDS).getCoupons(GetCouponsRequest.getDefaultInstance());
            log.debug("coupon-service channel ready");
            return true;
        } catch (StatusRuntimeException e) {
            return false;
        }
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

    private static ApiException unavailable() {
        return new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                "Coupons are not available right now, so nothing can be recommended. Try again shortly.");
    }
}
