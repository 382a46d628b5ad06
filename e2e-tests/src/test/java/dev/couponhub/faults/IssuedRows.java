package dev.couponhub.faults;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The truth of claims: coupon-service's issued rows, read straight from the devstack's MariaDB as coupon-service's
 * own database user (a new connection per read, with short time-outs: MariaDB may have just been paused).
 */
final class IssuedRows {

    /** One issued row: what a 201 answered ({@code id}, {@code code}) and the claim's key. */
    record Row(long id, String code, long userId, String idempotencyKey) {
    }

    private IssuedRows() {
    }

    static Connection connect(String service) throws Exception {
        Properties credentials = FaultSuite.credentials();
        String user = service + "_svc";
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/" + service + "_db?sslMode=DISABLED"
                + "&allowPublicKeyRetrieval=true&connectTimeout=3000&socketTimeout=10000", user,
                credentials.getProperty(user));
    }

    static long count(long couponId) throws Exception {
        try (Connection db = connect("coupon");
             PreparedStatement query = db.prepareStatement("SELECT COUNT(*) FROM issued_coupons WHERE coupon_id = ?")) {
            query.setLong(1, couponId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The coupon's count, or -1 when MariaDB does not answer. */
    static long countOrUnknown(long couponId) {
        try {
            return count(couponId);
        }
        catch (Exception e) {
            return -1;
        }
    }

    /** Every issued row of the coupon, by its id. */
    static Map<Long, Row> of(long couponId) throws Exception {
        Map<Long, Row> byId = new HashMap<>();
        try (Connection db = connect("coupon");
             PreparedStatement query = db.prepareStatement(
                     "SELECT id, code, user_id, idempotency_key FROM issued_coupons WHERE coupon_id = ?")) {
            query.setLong(1, couponId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byte[] key = rows.getBytes(4);
                    byId.put(rows.getLong(1), new Row(rows.getLong(1), rows.getString(2), rows.getLong(3),
                            key == null ? null : new String(key, StandardCharsets.UTF_8)));
                }
            }
        }
        return byId;
    }

    /** The coupon's {@code issued_quantity} as coupon-service keeps it. */
    static long issuedQuantity(long couponId) throws SQLException, Exception {
        try (Connection db = connect("coupon");
             PreparedStatement query = db.prepareStatement("SELECT issued_quantity FROM coupons WHERE id = ?")) {
            query.setLong(1, couponId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
