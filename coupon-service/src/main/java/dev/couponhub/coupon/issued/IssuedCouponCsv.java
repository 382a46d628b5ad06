package dev.couponhub.coupon.issued;

import java.io.IOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes every issued coupon of a coupon as CSV (docs/api.md: a header row, then one row per unit in the order of the
 * claims), read from MySQL {@value #CHUNK} rows at a time by unit number (the {@code (coupon_id, seq)} key): the
 * service holds one chunk, whatever the number of rows, and holds a database connection only while it reads one, not
 * while the client takes the bytes. Plain JDBC, each row straight to its cells: through JPA tuples the export of a
 * million rows took about a fifth more of the service's CPU (docs/benchmarks.md).
 *
 * <p>Text a spreadsheet would run as a formula (starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
 * carriage return; in practice an order id the redeemer chose) is written with a leading {@code '}, so it shows as
 * text. Statuses are as of the export's start, as in the API's answers (an unused unit past its expiry is
 * {@code EXPIRED}).
 */
@Component
class IssuedCouponCsv {

    static final List<String> HEADER = List.of("id", "code", "userId", "status", "issuedAt", "expiresAt",
            "redeemedAt", "orderId", "discountAmount");
    static final int CHUNK = 5_000;
    /** Stored times are UTC ({@code hibernate.jdbc.time_zone}); read as they are, without the driver's zone. */
    private static final String CHUNK_QUERY = "SELECT seq, id, code, user_id, status, issued_at, expires_at, "
            + "redeemed_at, order_id, discount_amount FROM issued_coupons WHERE coupon_id = ? AND seq > ? "
            + "ORDER BY seq LIMIT " + CHUNK;
    /** Not flushed after each row (Jackson's default): that pushed every row down to Tomcat as a chunk of its own. */
    private static final ObjectWriter ROWS = new CsvMapper().writerFor(String[].class)
            .with(CsvSchema.emptySchema().withLineSeparator("\r\n"))
            .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final JdbcTemplate jdbc;
    private final Clock clock;

    IssuedCouponCsv(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Writes the coupon's CSV to {@code out} (not closed); answers the number of rows after the header. */
    long write(long couponId, Writer out) throws IOException {
        Instant now = clock.instant();
        long rows = 0;
        long[] lastSeq = {0};
        try (SequenceWriter csv = ROWS.writeValues(out)) {
            csv.write(HEADER.toArray(String[]::new));
            while (true) {
                // read, then written once the connection is back in the pool
                List<String[]> chunk = jdbc.query(CHUNK_QUERY, (rs, n) -> {
                    lastSeq[0] = rs.getLong(1);
                    return row(rs, now);
                }, couponId, lastSeq[0]);
                for (String[] row : chunk) {
                    csv.write(row);
                }
                rows += chunk.size();
                if (chunk.size() < CHUNK) {
                    break;
                }
            }
        }
        return rows;
    }

    private static String[] row(ResultSet rs, Instant now) throws SQLException {
        String status = rs.getString(5);
        Instant expiresAt = instant(rs, 7);
        if (IssuedCouponStatus.ISSUED.name().equals(status) && !now.isBefore(expiresAt)) {
            status = IssuedCouponStatus.EXPIRED.name();
        }
        long discount = rs.getLong(10);
        String discountAmount = rs.wasNull() ? "" : Long.toString(discount);
        return new String[] {
                Long.toString(rs.getLong(2)),
                text(rs.getString(3)),
                Long.toString(rs.getLong(4)),
                status,
                instant(rs, 6).toString(),
                expiresAt.toString(),
                optional(instant(rs, 8)),
                text(rs.getString(9)),
                discountAmount};
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    private static String optional(Object value) {
        return value == null ? "" : value.toString();
    }

    /** The value as a spreadsheet shows it as text: a leading {@code '} before what it would run as a formula. */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
            default -> value;
        };
    }
}
