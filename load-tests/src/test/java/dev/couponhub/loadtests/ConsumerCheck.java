package dev.couponhub.loadtests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Nothing deferred to look fast: within {@code consumerDeadlineSeconds} after the measured phase, every issued coupon
 * of the measured coupon must have its {@code COUPON_CLAIMED} alert in {@code notification_db} and its ledger row in
 * {@code batch_db}. Reads both with the services' own (generated) passwords, never printed.
 */
final class ConsumerCheck {

    private final BenchConfig config;
    private final long notificationsBefore;
    private final long ledgerBefore;

    private ConsumerCheck(BenchConfig config, long notificationsBefore, long ledgerBefore) {
        this.config = config;
        this.notificationsBefore = notificationsBefore;
        this.ledgerBefore = ledgerBefore;
    }

    /**
     * Notes the newest inbox and ledger row ids before any claim of this run, so that the check reads only the rows
     * written since: the devstack keeps its data between runs, and counting the measured coupon's rows over the whole
     * tables (millions of rows after a few runs) took seconds per round and hid how soon the consumers caught up.
     */
    static ConsumerCheck start(BenchConfig config) throws Exception {
        try (Connection notifications = connect(config, "notification_db", "notification_svc");
             Connection stats = connect(config, "batch_db", "batch_svc")) {
            return new ConsumerCheck(config, count(notifications, "SELECT COALESCE(MAX(id), 0) FROM notifications"),
                    count(stats, "SELECT COALESCE(MAX(id), 0) FROM usage_events"));
        }
    }

    /** @return the failed checks, empty when both consumers caught up in time */
    List<String> verify(long couponId) throws Exception {
        long startNanos = System.nanoTime();
        long deadline = startNanos + config.consumerDeadline().toNanos();
        long issued;
        long alerts;
        long ledger;
        double round;
        try (Connection coupons = connect(config, "coupon_db", "coupon_svc");
             Connection notifications = connect(config, "notification_db", "notification_svc");
             Connection stats = connect(config, "batch_db", "batch_svc")) {
            issued = count(coupons, "SELECT COUNT(*) FROM issued_coupons WHERE coupon_id = ?", couponId);
            while (true) {
                long roundStart = System.nanoTime();
                // FORCE INDEX: with the tables' statistics a few runs old the optimizer may prefer a full scan
                alerts = count(notifications, "SELECT COUNT(*) FROM notifications FORCE INDEX (PRIMARY) WHERE id > ?"
                        + " AND type = 'COUPON_CLAIMED' AND JSON_VALUE(data, '$.couponId') = ?",
                        notificationsBefore, couponId);
                ledger = count(stats, "SELECT COUNT(*) FROM usage_events FORCE INDEX (PRIMARY) WHERE id > ?"
                        + " AND coupon_id = ? AND type = 'COUPON_CLAIMED'", ledgerBefore, couponId);
                round = (System.nanoTime() - roundStart) / 1e9;
                if ((alerts >= issued && ledger >= issued) || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(250);
            }
        }
        double waited = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("consumers: %d issued; COUPON_CLAIMED alerts in notification_db %d, ledger rows in batch_db"
                + " %d, %.1f s after the measured phase (limit %d s; one round of counting takes %.2f s)%n", issued,
                alerts, ledger, waited, config.consumerDeadline().toSeconds(), round);
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
    private static Connection connect(BenchConfig config, String schema, String user) throws Exception {
        String password = DevstackCredentials.password(config.credentials(), user);
        return DriverManager.getConnection(config.jdbcUrl().replace("/coupon_db", "/" + schema), user, password);
    }

    private static long count(Connection db, String sql, long... parameters) throws Exception {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setLong(i + 1, parameters[i]);
            }
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
