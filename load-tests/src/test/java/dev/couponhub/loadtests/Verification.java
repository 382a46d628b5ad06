package dev.couponhub.loadtests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks the measured coupon against MySQL, the truth of a claim. */
final class Verification {

    private Verification() {
    }

    /** @return the failed checks, empty when everything holds */
    static List<String> verify(BenchConfig config, long couponId, PhaseStats measured) throws Exception {
        List<String> failures = new ArrayList<>();
        long demand = measured.demand(config.perUserLimit());
        long expected = Math.min(config.stock(), demand);

        String password = DevstackCredentials.password(config.credentials(), "coupon_svc");
        Set<Long> rows = new HashSet<>();
        long maxPerUser;
        long issuedQuantity;
        try (Connection db = DriverManager.getConnection(config.jdbcUrl(), "coupon_svc", password)) {
            try (PreparedStatement query = db.prepareStatement("SELECT id FROM issued_coupons WHERE coupon_id = ?")) {
                query.setLong(1, couponId);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement query = db.prepareStatement("SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n"
                    + " FROM issued_coupons WHERE coupon_id = ? GROUP BY user_id) per_user")) {
                query.setLong(1, couponId);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    maxPerUser = rs.getLong(1);
                }
            }
            try (PreparedStatement query = db.prepareStatement("SELECT issued_quantity FROM coupons WHERE id = ?")) {
                query.setLong(1, couponId);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    issuedQuantity = rs.getLong(1);
                }
            }
        }

        long missing = measured.issuedIds.stream().filter(id -> !rows.contains(id)).count();
        long distinct201 = new HashSet<>(measured.issuedIds).size();
        int maxCreatedPerUser = 0;
        for (int i = 0; i < measured.createdPerUser.length(); i++) {
            maxCreatedPerUser = Math.max(maxCreatedPerUser, measured.createdPerUser.get(i));
        }
        System.out.printf("verification: stock %d, demand %d (attempts capped per user), expected issued %d;"
                        + " rows in issued_coupons %d, coupons.issued_quantity %d, 201 answers %d (%d distinct ids),"
                        + " 201 ids missing from MySQL %d, max rows per user %d, max 201 per user %d (limit %d)%n",
                config.stock(), demand, expected, rows.size(), issuedQuantity, measured.created.sum(), distinct201,
                missing, maxPerUser, maxCreatedPerUser, config.perUserLimit());

        if (rows.size() != expected) {
            failures.add("issued rows " + rows.size() + " != min(stock, demand) " + expected);
        }
        if (measured.created.sum() != expected || distinct201 != expected) {
            failures.add("201 answers " + measured.created.sum() + " (" + distinct201 + " distinct) != " + expected);
        }
        if (missing > 0) {
            failures.add(missing + " ids answered with 201 are not in MySQL");
        }
        if (maxPerUser > config.perUserLimit() || maxCreatedPerUser > config.perUserLimit()) {
            failures.add("a user holds more than perUserLimit " + config.perUserLimit());
        }
        if (rows.size() > config.stock()) {
            failures.add("more issued than the stock");
        }
        if (issuedQuantity != rows.size()) {
            failures.add("coupons.issued_quantity " + issuedQuantity + " != rows " + rows.size());
        }
        if (measured.other.sum() > 0) {
            failures.add(measured.other.sum() + " claims answered something else than 201 or 409"
                    + " SOLD_OUT/CLAIM_LIMIT_REACHED");
        }
        return failures;
    }
}
