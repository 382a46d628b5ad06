package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code deploy/smoke-check.sh}, which the deploy workflow runs against the public address after every deploy: it
 * passes against the running suite, and fails (exit 1, naming each check) where nothing answers.
 */
@ExtendWith(CouponhubSuite.class)
class SmokeCheckIT {

    @Test
    void runningSuiteThenPassedAndNothingListeningThenFailedNamingEachCheck() throws Exception {
        CouponhubSuite.Result passed = CouponhubSuite.run(Duration.ofMinutes(1), "bash", "deploy/smoke-check.sh",
                "http://localhost:8080/");
        assertThat(passed.exitCode()).as(passed.output()).isZero();
        assertThat(passed.output()).contains("smoke check passed: http://localhost:8080");

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CouponhubSuite.Result failed = CouponhubSuite.run(Duration.ofMinutes(1), CouponhubSuite.ROOT.toFile(),
                Map.of("SMOKE_TIMEOUT", "2"), "bash", "deploy/smoke-check.sh", "http://127.0.0.1:" + closed);
        assertThat(failed.exitCode()).as(failed.output()).isEqualTo(1);
        assertThat(failed.output()).contains("smoke check failed after 2s", "gateway health", "web app",
                "stores (store-service, its database)", "coupons (coupon-service, its database)");
    }
}
