package dev.couponhub.faults;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import dev.couponhub.e2e.CouponhubSuite;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite the fault scenarios break: the end-to-end suite ({@link CouponhubSuite}, {@code ./couponhub up -d --wipe}),
 * which the end-to-end classes have used before them (the scenarios are ordered after those classes, each scoping what
 * it checks to its own store, coupon and shoppers), and which {@code SuiteShutdownIT} stops last. One suite start
 * for both, instead of a second one (about three and a half minutes of the build).
 */
final class FaultSuite implements BeforeAllCallback {

    static final Path ROOT = CouponhubSuite.ROOT;
    static final Path DATA = CouponhubSuite.STATE.resolve("data");
    static final Path RUN = CouponhubSuite.STATE.resolve("run");
    static final Path LOGS = CouponhubSuite.STATE.resolve("logs");
    static final String BASE_URL = "http://127.0.0.1:8080";

    private final CouponhubSuite suite = new CouponhubSuite();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        suite.beforeAll(context);
    }

    static boolean portOpen(int port) {
        return CouponhubSuite.portOpen(port);
    }

    /** The devstack's database passwords, by user ({@code coupon_svc}, ...). */
    static Properties credentials() throws IOException {
        Properties credentials = new Properties();
        try (InputStream in = Files.newInputStream(DATA.resolve("credentials.properties"))) {
            credentials.load(in);
        }
        return credentials;
    }
}
