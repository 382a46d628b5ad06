package dev.couponhub.loadtests;

import java.io.Reader;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Nothing deferred to look fast: within {@code consumerDeadlineSeconds} after the measured phase, every issued coupon
 * of the measured coupon must have its {@code COUPON_CLAIMED} alert in {@code notification_db} and its ledger row in
 * {@code batch_db}. Reads both with the services' own (generated) passwords, never printed.
 */
final class ConsumerCheck {

    private ConsumerCheck() {
    }

    /** @return the failed checks, empty when both consumers caught up in time */
    static List<String> verify(BenchConfig config, long couponId) throws Exception {
        Properties credentials = new Properties();
        try (Reader reader = Files.newBufferedReader(config.credentials())) {
            credentials.load(reader);
        }
        long startNanos = System.nanoTime();
        long deadline = startNanos + config.consumerDeadline().toNanos();
        long issued;
        long alerts;
        long ledger;
        String couponUrl = config.jdbcUrl();
        try (Connection coupons = connect(couponUrl, "coupon_db", "coupon_svc", credentials);
             Connection notifications = connect(couponUrl, "notification_db", "notification_svc", credentials);
             Connection stats = connect(couponUrl, "batch_db", "batch_svc", credentials)) {
            issued = count(coupons, "SELECT COUNT(*) FROM issued_coupons WHERE coupon_id = ?", couponId);
            while (true) {
                alerts = count(notifications, "SELECT COUNT(*) FROM notifications WHERE type = 'COUPON_CLAIMED' "
                        + "AND JSON_VALUE(data, '$.couponId') = ?", couponId);
                ledger = count(stats, "SELECT COUNT(*) FROM usage_events WHERE coupon_id = ? "
                        + "AND type = 'COUPON_CLAIMED'", couponId);
                if ((alerts >= issued && ledger >= issued) || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(250);
            }
        }
        double waited = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("consumers: %d issued; COUPON_CLAIMED alerts in notification_db %d, ledger rows in batch_db"
                + " %d, %.1f s after the measured phase (limit %d s)%n", issued, alerts, ledger, waited,
                config.consumerDeadline().toSeconds());
        List<String> failures = new ArrayList<>();
        if (alerts != issued) {
            failures.add("notification-service: " + alerts + " COUPON_CLAIMED alerts for " + issued + " issued coupons "
                    + config.consumerDeadline().toSeconds() + " s after the measured phase");
        }
        if (ledger != issued) {
            failures.add("batch-service: " + ledger + " ledger rows for " + issued + " issued coupons "
                    + config.consumerDeadline().toSeconds() + " s after the measured phase");
        }
        return failures;
    }

    /** The same server as coupon_db, another schema and user. */
    private static Connection connect(String couponUrl, String schema, String user, Properties credentials)
            throws Exception {
        String password = credentials.getProperty(user);
        if (password == null) {
            throw new IllegalStateException("no " + user + " entry in the credentials file");
        }
        return DriverManager.getConnection(couponUrl.replace("/coupon_db", "/" + schema), user, password);
    }

    private static long count(Connection db, String sql, long couponId) throws Exception {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setLong(1, couponId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
