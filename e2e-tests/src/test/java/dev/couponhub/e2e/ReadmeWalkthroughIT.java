package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.couponhub.e2e.CouponhubSuite.Result;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Does what a newcomer does: {@code ./couponhub up -d}, then pastes the README's walk-through. The suite
 * is shared with the browser tests and stopped by {@link SuiteShutdownIT}.
 */
@Order(1)
@ExtendWith(CouponhubSuite.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeWalkthroughIT {

    @Test
    @Order(1)
    void upPrintsWhereToPointABrowserOrCurl() {
        assertThat(CouponhubSuite.upResult().output())
                .contains("http://localhost:8080/")
                .contains("/swagger-ui.html");
    }

    @Test
    @Order(2)
    void statusShowsEveryServiceHealthy() throws Exception {
        Result status = CouponhubSuite.run(Duration.ofMinutes(1), "./couponhub", "status");
        assertThat(status.exitCode()).isZero();
        for (String service : List.of("user-service", "store-service", "coupon-service", "notification-service",
                "batch-service", "ai-service", "gateway-service")) {
            assertThat(status.output()).containsPattern(service + "\\s+\\d+\\s+\\d+\\s+healthy");
        }
    }

    @Test
    @Order(3)
    void readmeWalkthroughWorksAsPasted() throws Exception {
        String readme = Files.readString(CouponhubSuite.ROOT.resolve("README.md"));
        Matcher block = Pattern.compile("<!-- walkthrough:start -->\\s*```bash\\n(.*?)```\\s*<!-- walkthrough:end -->",
                Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README has a walk-through block").isTrue();

        Result result = CouponhubSuite.run(Duration.ofMinutes(2), "bash", "-e", "-c", block.group(1));

        assertThat(result.exitCode()).as("walk-through output:%n%s", result.output()).isZero();
        assertThat(result.output())
                .contains("\"email\":\"mina@example.com\"")
                .contains("\"role\":\"SHOPPER\"")
                .containsPattern("store \\d+, coupon \\d+")
                .contains("\"status\":\"ISSUED\"")
                .contains("\"storeName\":\"Jun Coffee 준커피\"")
                .containsPattern("\"code\":\"[A-Z0-9]{8,}\"")
                // the follower's live alert and its email
                .contains("event:COUPON_PUBLISHED")
                .containsPattern("\"subject\":\"[^\"]+\"")
                // recommendations without a model, and the owner's statistics naming the coupon
                .contains("\"source\":\"FALLBACK\"")
                .contains("\"jobName\":\"coupon-usage-stats\"")
                .containsPattern("\"coupons\":\\[\\{\"couponId\":\\d+,\"name\":\"Americano 2,000 won off\"")
                .doesNotContain("\"status\":401")
                .doesNotContain("\"status\":403")
                .doesNotContain("\"status\":500")
                .doesNotContain("\"status\":503");
    }
}
