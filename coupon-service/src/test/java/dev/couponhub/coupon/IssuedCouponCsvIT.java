package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/coupons/{id}/issued-coupons.csv}: 100,000 issued rows exported whole and in claim order, values a
 * spreadsheet would run as formulas made text, statuses as the API shows them, the header alone for a coupon with no
 * issues, and the owner check before the first byte.
 */
class IssuedCouponCsvIT extends CouponServiceItSupport {

    private static final String HEADER = "id,code,userId,status,issuedAt,expiresAt,redeemedAt,orderId,discountAmount";
    private static final int ROWS = 100_000;
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    @Test
    void hundredThousandIssuedCouponsAreExportedWholeInClaimOrder() throws Exception {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Export " + token(), 200_000)).path("id").asLong();
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        insertIssued(couponId, ROWS, issuedAt);
        // a few redeemed at the counter, with order ids a spreadsheet would run or split
        List<String> orderIds = List.of("=HYPERLINK(\"http://x\")", "+82-10", "-5", "@SUM(A1)", "a,b \"c\"",
                "\tTab", "주문-7");
        for (int i = 0; i < orderIds.size(); i++) {
            jdbc.update("UPDATE issued_coupons SET status = 'REDEEMED', redeemed_at = ?, redemption_channel = 'COUNTER', "
                    + "order_id = ?, order_amount = 20000, discount_amount = 1000 WHERE coupon_id = ? AND seq = ?",
                    Timestamp.from(issuedAt.plusSeconds(60)), orderIds.get(i), couponId, 10 + i);
        }
        // one unused unit already past its expiry: EXPIRED, as the API shows it, before the expiry job ran
        jdbc.update("UPDATE issued_coupons SET expires_at = ? WHERE coupon_id = ? AND seq = 3",
                Timestamp.from(issuedAt.minusSeconds(1)), couponId);

        ApiClient.Response response = api.get(COUPONS + "/" + couponId + "/issued-coupons.csv", owner(store[0]));

        assertThat(response.status()).as(response.toString().substring(0, 300)).isEqualTo(200);
        assertThat(response.contentType()).isEqualToIgnoringCase("text/csv;charset=UTF-8");
        assertThat(response.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"coupon-" + couponId + "-issued-coupons.csv\"");
        assertThat(response.body()).startsWith(HEADER + "\r\n").endsWith("\r\n");
        List<String[]> rows = parse(response.body());
        assertThat(rows).hasSize(ROWS + 1);
        assertThat(rows.get(0)).containsExactly(HEADER.split(","));

        List<Map<String, Object>> db = jdbc.queryForList("SELECT id, code, user_id FROM issued_coupons "
                + "WHERE coupon_id = ? ORDER BY seq", couponId);
        for (int i = 0; i < ROWS; i++) {
            String[] row = rows.get(i + 1);
            assertThat(row).hasSize(9);
            assertThat(row[0]).isEqualTo(db.get(i).get("id").toString());
            assertThat(row[1]).isEqualTo(db.get(i).get("code"));
            assertThat(row[2]).isEqualTo(db.get(i).get("user_id").toString());
        }
        String[] plain = rows.get(1);
        assertThat(plain[3]).isEqualTo("ISSUED");
        assertThat(Instant.parse(plain[4])).isEqualTo(issuedAt);
        assertThat(Instant.parse(plain[5])).isAfter(issuedAt);
        assertThat(List.of(plain[6], plain[7], plain[8])).containsOnly("");
        assertThat(rows.get(3)[3]).isEqualTo("EXPIRED");

        List<String> exported = new ArrayList<>();
        for (int i = 0; i < orderIds.size(); i++) {
            String[] redeemed = rows.get(10 + i);
            assertThat(redeemed[3]).isEqualTo("REDEEMED");
            assertThat(Instant.parse(redeemed[6])).isEqualTo(issuedAt.plusSeconds(60));
            assertThat(redeemed[8]).isEqualTo("1000");
            exported.add(redeemed[7]);
        }
        assertThat(exported).containsExactly("'=HYPERLINK(\"http://x\")", "'+82-10", "'-5", "'@SUM(A1)", "a,b \"c\"",
                "'\tTab", "주문-7");
    }

    @Test
    void aCouponWithNoIssuesIsTheHeaderRowAlone() {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Empty " + token(), 10)).path("id").asLong();

        ApiClient.Response response = api.get(COUPONS + "/" + couponId + "/issued-coupons.csv", owner(store[0]));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(HEADER + "\r\n");
    }

    @Test
    void aClaimedAndRedeemedUnitShowsAsTheApiShowsIt() throws Exception {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Claimed " + token(), 10)).path("id").asLong();
        long shopper = newUserId();
        ApiClient.Response claimed = claim(couponId, shopper);
        long unitId = claimed.json().path("id").asLong();
        ApiClient.Response redeemed = api.post("/api/v1/issued-coupons/" + unitId + "/redeem",
                Map.of("orderId", "=1+2", "orderAmount", 20_000), shopper(shopper));
        assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
        ApiClient.Response unit = api.get("/api/v1/issued-coupons/" + unitId, shopper(shopper));

        List<String[]> rows = parse(api.get(COUPONS + "/" + couponId + "/issued-coupons.csv", owner(store[0])).body());

        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)).containsExactly(Long.toString(unitId), unit.json().path("code").asText(),
                Long.toString(shopper), "REDEEMED", unit.json().path("issuedAt").asText(),
                unit.json().path("expiresAt").asText(), unit.json().path("redeemedAt").asText(), "'=1+2", "1000");
    }

    @Test
    void anotherOwnerAShopperOrAnUnknownCouponGetAProblemNotRows() {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "Private " + token(), 10)).path("id").asLong();
        claim(couponId, newUserId());
        String path = COUPONS + "/" + couponId + "/issued-coupons.csv";

        assertProblem(api.get(path, owner(newUserId())), 403, "NOT_STORE_OWNER", path);
        assertProblem(api.get(path, shopper(newUserId())), 403, "FORBIDDEN", path);
        assertProblem(api.get(COUPONS + "/987654321987/issued-coupons.csv", owner(store[0])), 404,
                "COUPON_NOT_FOUND", COUPONS + "/987654321987/issued-coupons.csv");
    }

    /** Inserts {@code count} issued units 1..count of the coupon, one per user, in one statement. */
    private void insertIssued(long couponId, int count, Instant issuedAt) {
        String digits = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        String numbers = "SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 1 AS n FROM " + digits
                + " a, " + digits + " b, " + digits + " c, " + digits + " e, " + digits + " f";
        long firstUser = newUserId();
        jdbc.update("INSERT INTO issued_coupons (coupon_id, user_id, seq, user_seq, per_user_limit, code, status, "
                + "issued_at, expires_at) SELECT ?, ? + n, n, 1, 1, CONCAT('T', LPAD(CONV(?, 10, 36), 5, '0'), "
                + "LPAD(CONV(n, 10, 36), 6, '0')), 'ISSUED', ?, ? FROM (" + numbers + ") numbers WHERE n <= ?",
                couponId, firstUser, couponId, Timestamp.from(issuedAt),
                Timestamp.from(issuedAt.plus(30, ChronoUnit.DAYS)), count);
        jdbc.update("UPDATE coupons SET issued_quantity = ? WHERE id = ?", count, couponId);
    }

    private static List<String[]> parse(String body) throws IOException {
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(body)) {
            return rows.readAll();
        }
    }
}
