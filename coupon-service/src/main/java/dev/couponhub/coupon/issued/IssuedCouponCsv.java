package dev.couponhub.coupon.issued;

import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.querydsl.core.Tuple;
import com.querydsl.jpa.impl.JPAQueryFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes every issued coupon of a coupon as CSV (docs/api.md: a header row, then one row per unit in the order of the
 * claims), read from MySQL {@value #CHUNK} rows at a time by unit number (the {@code (coupon_id, seq)} key): the
 * service holds one chunk, whatever the number of rows, and holds a database connection only while it reads one, not
 * while the client takes the bytes.
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
    private static final QIssuedCoupon issued = QIssuedCoupon.issuedCoupon;
    private static final ObjectWriter ROWS = new CsvMapper().writerFor(String[].class)
            .with(CsvSchema.emptySchema().withLineSeparator("\r\n"));

    private final JPAQueryFactory queries;
    private final TransactionTemplate readTx;
    private final Clock clock;

    IssuedCouponCsv(JPAQueryFactory queries, PlatformTransactionManager transactionManager, Clock clock) {
        this.queries = queries;
        this.readTx = new TransactionTemplate(transactionManager);
        this.readTx.setReadOnly(true);
        this.readTx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.clock = clock;
    }

    /** Writes the coupon's CSV to {@code out} (not closed); answers the number of rows after the header. */
    long write(long couponId, Writer out) throws IOException {
        Instant now = clock.instant();
        long rows = 0;
        try (SequenceWriter csv = ROWS.writeValues(out)) {
            csv.write(HEADER.toArray(String[]::new));
            long after = 0;
            while (true) {
                long from = after;
                List<Tuple> chunk = readTx.execute(status -> queries
                        .select(issued.seq, issued.id, issued.code, issued.userId, issued.status, issued.issuedAt,
                                issued.expiresAt, issued.redeemedAt, issued.orderId, issued.discountAmount)
                        .from(issued)
                        .where(issued.coupon.id.eq(couponId), issued.seq.gt(from))
                        .orderBy(issued.seq.asc())
                        .limit(CHUNK)
                        .fetch());
                for (Tuple unit : chunk) {
                    csv.write(row(unit, now));
                }
                rows += chunk.size();
                if (chunk.size() < CHUNK) {
                    break;
                }
                after = chunk.get(chunk.size() - 1).get(issued.seq);
            }
        }
        return rows;
    }

    private static String[] row(Tuple unit, Instant now) {
        IssuedCouponStatus status = unit.get(issued.status);
        Instant expiresAt = unit.get(issued.expiresAt);
        if (status == IssuedCouponStatus.ISSUED && !now.isBefore(expiresAt)) {
            status = IssuedCouponStatus.EXPIRED;
        }
        return new String[] {
                String.valueOf(unit.get(issued.id)),
                text(unit.get(issued.code)),
                String.valueOf(unit.get(issued.userId)),
                status.name(),
                String.valueOf(unit.get(issued.issuedAt)),
                String.valueOf(expiresAt),
                optional(unit.get(issued.redeemedAt)),
                text(unit.get(issued.orderId)),
                optional(unit.get(issued.discountAmount))};
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
