package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.couponhub.proto.coupon.v1.ClaimRecord;
import dev.couponhub.proto.coupon.v1.CouponServiceGrpc;
import dev.couponhub.proto.coupon.v1.CouponSummary;
import dev.couponhub.proto.coupon.v1.DiscountType;
import dev.couponhub.proto.coupon.v1.GetClaimHistoryRequest;
import dev.couponhub.proto.coupon.v1.GetCouponsRequest;
import dev.couponhub.proto.coupon.v1.ListClaimableCouponsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** gRPC CouponService over the service's in-process server. */
class CouponGrpcIT extends CouponServiceItSupport {

    private ManagedChannel channel;
    private CouponServiceGrpc.CouponServiceBlockingStub stub;

    @BeforeEach
    void connect() {
        channel = InProcessChannelBuilder.forName(GRPC_NAME).build();
        stub = CouponServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private CouponServiceGrpc.CouponServiceBlockingStub call() {
        return stub.withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @Test
    void getCouponsThenKnownOnesInOrderAsked() {
        long[] store = newStore("FASHION");
        long a = publish(store[0], couponBody(store[1], "A", 4)).path("id").asLong();
        long b = publish(store[0], couponBody(store[1], "B", 4)).path("id").asLong();
        claim(a, newUserId());

        var answer = call().getCoupons(GetCouponsRequest.newBuilder().addIds(b).addIds(999_999_999L).addIds(a).build());

        assertThat(answer.getCouponsList()).extracting(CouponSummary::getId).containsExactly(b, a);
        CouponSummary summary = answer.getCoupons(1);
        assertThat(summary.getStoreId()).isEqualTo(store[1]);
        assertThat(summary.getCategory()).isEqualTo("FASHION");
        assertThat(summary.getDiscountType()).isEqualTo(DiscountType.FIXED);
        assertThat(summary.getIssuedQuantity()).isEqualTo(1);
        assertThat(summary.getRemainingQuantity()).isEqualTo(3);
        assertThat(summary.getStatus()).isEqualTo("ACTIVE");
    }

    @Test
    void listClaimableThenActiveInStockAndUnderTheUsersLimit() {
        long[] store = newStore("LIFESTYLE");
        long held = publish(store[0], couponBody(store[1], "held", 4)).path("id").asLong();
        long open = publish(store[0], couponBody(store[1], "open", 4)).path("id").asLong();
        long soldOut = publish(store[0], couponBody(store[1], "sold", 1)).path("id").asLong();
        Map<String, Object> later = couponBody(store[1], "later", 4);
        later.put("issueStartsAt", now().plus(Duration.ofHours(1)).toString());
        long scheduled = publish(store[0], later).path("id").asLong();
        long user = newUserId();
        claim(held, user);
        claim(soldOut, newUserId());

        var claimable = call().listClaimableCoupons(ListClaimableCouponsRequest.newBuilder().setUserId(user)
                .setLimit(500).build()).getCouponsList().stream().map(CouponSummary::getId).toList();

        assertThat(claimable).contains(open).doesNotContain(held, soldOut, scheduled);
        assertThatThrownBy(() -> call().listClaimableCoupons(ListClaimableCouponsRequest.newBuilder()
                .setUserId(user).setLimit(501).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void claimHistoryThenNewestFirstWithStoreAndCategory() {
        long[] store = newStore("ENTERTAINMENT");
        long first = publish(store[0], couponBody(store[1], "one", 4)).path("id").asLong();
        long second = publish(store[0], couponBody(store[1], "two", 4)).path("id").asLong();
        long user = newUserId();
        long issuedFirst = claim(first, user).json().path("id").asLong();
        long issuedSecond = claim(second, user).json().path("id").asLong();

        var history = call().getClaimHistory(GetClaimHistoryRequest.newBuilder().setUserId(user).build());

        assertThat(history.getClaimsList()).extracting(ClaimRecord::getIssuedCouponId)
                .containsExactly(issuedSecond, issuedFirst);
        ClaimRecord record = history.getClaims(0);
        assertThat(record.getCouponId()).isEqualTo(second);
        assertThat(record.getStoreId()).isEqualTo(store[1]);
        assertThat(record.getCategory()).isEqualTo("ENTERTAINMENT");
        assertThat(record.getStatus()).isEqualTo("ISSUED");
        assertThat(record.getIssuedAt()).endsWith("Z");
    }
}
