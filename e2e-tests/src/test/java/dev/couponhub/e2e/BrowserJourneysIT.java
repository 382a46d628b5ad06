package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.couponhub.e2e.CouponhubSuite.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web app in headless Debian Chromium (playwright-core, {@code browser/}): a store owner and a
 * shopper click through publish, the follower's live alert, claim, redeem at the counter and the stats
 * chart, against the suite started for these tests. Screenshots land in {@code target/screenshots/}.
 */
@Order(2)
@ExtendWith(CouponhubSuite.class)
class BrowserJourneysIT {

    private static final Path BROWSER_TESTS = CouponhubSuite.ROOT.resolve("e2e-tests/browser");
    static final Path SCREENSHOTS = CouponhubSuite.ROOT.resolve("e2e-tests/target/screenshots");

    @Test
    void shopperAndOwnerJourneysInChromium() throws Exception {
        Result result = CouponhubSuite.run(Duration.ofMinutes(10), BROWSER_TESTS.toFile(),
                Map.of("COUPONHUB_URL", CouponhubSuite.BASE_URL, "SCREENSHOT_DIR", SCREENSHOTS.toString()),
                "node", "--test", "--test-concurrency=1", "--test-reporter=spec", "tests/");

        assertThat(result.exitCode()).as("browser tests:%n%s", result.output()).isZero();
        assertThat(result.output()).containsPattern("\\bfail 0\\b").doesNotContainPattern("\\bpass 0\\b");
    }
}
