package dev.couponhub.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What every fault scenario checks of its claims against the issued rows; each answers the violations it found. */
final class ClaimChecks {

    private ClaimChecks() {
    }

    /** Every 201 is a row in MySQL: the answered id, with the answered code, the claim's shopper and key. */
    static List<String> everyAnswered201IsARow(List<Stampede.Attempt> attempts, Map<Long, IssuedRows.Row> rows) {
        List<String> violations = new ArrayList<>();
        for (Stampede.Attempt attempt : attempts) {
            if (attempt.status() != 201) {
                continue;
            }
            IssuedRows.Row row = rows.get(attempt.issuedId());
            if (row == null) {
                violations.add("201 with issued coupon " + attempt.issuedId() + " (key " + attempt.key()
                        + ") has no row");
            }
            else if (!row.code().equals(attempt.issuedCode()) || row.userId() != attempt.userId()
                    || !attempt.key().equals(row.idempotencyKey())) {
                violations.add("201 " + attempt + " does not match its row " + row);
            }
        }
        return violations;
    }

    /** Every row was issued by one of these claims (by its key), and no claim has two rows. */
    static List<String> everyRowIsAClaim(List<Stampede.Attempt> attempts, Map<Long, IssuedRows.Row> rows) {
        Set<String> keys = attempts.stream().map(Stampede.Attempt::key).collect(Collectors.toSet());
        List<String> violations = new ArrayList<>();
        Map<String, Long> rowsByKey = rows.values().stream().filter(row -> row.idempotencyKey() != null)
                .collect(Collectors.groupingBy(IssuedRows.Row::idempotencyKey, Collectors.counting()));
        rows.values().stream().filter(row -> row.idempotencyKey() == null || !keys.contains(row.idempotencyKey()))
                .forEach(row -> violations.add("row " + row + " is no claim of the stampede"));
        rowsByKey.forEach((key, count) -> {
            if (count > 1) {
                violations.add("key " + key + " issued " + count + " rows");
            }
        });
        return violations;
    }

    /** The longest answer, in milliseconds. */
    static long slowestMillis(List<Stampede.Attempt> attempts) {
        return attempts.stream().mapToLong(attempt -> attempt.latency().toMillis()).max().orElse(0);
    }
}
