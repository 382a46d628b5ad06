package dev.couponhub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the scenarios that kill or wipe a part under a stampede share: the wait for the sell-out, and the checks. */
final class KillScenario {

    private KillScenario() {
    }

    /**
     * Waits, while the stampede goes on, until every unit of the coupon is an issued row, then until the shoppers saw
     * it sold out (20 more {@code SOLD_OUT} answers), at most {@code within} from now. Answers how long after
     * {@code since} ({@link System#nanoTime()}) the stock was issued, or null if it was not.
     */
    static Duration awaitSoldOut(Stampede stampede, long couponId, long stock, long since, Duration within)
            throws InterruptedException {
        Duration soldOut = null;
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (IssuedRows.countOrUnknown(couponId) >= stock) {
                soldOut = Duration.ofNanos(System.nanoTime() - since);
                break;
            }
            Thread.sleep(500);
        }
        long soldOutAnswers = stampede.soldOut();
        stampede.awaitUntil(s -> s.soldOut() > soldOutAnswers + 20, Duration.ofSeconds(10));
        return soldOut;
    }

    /**
     * Units the gate handed out ({@code cp:{id}:next}) that were neither given back ({@code cp:{id}:free}) nor
     * issued: the reservations of claims that died with the process.
     */
    static long reservedButNotIssued(long couponId) throws Exception {
        long next = RedisCommands.number("GET", "cp:{" + couponId + "}:next");
        long free = RedisCommands.number("SCARD", "cp:{" + couponId + "}:free");
        return next - free - IssuedRows.count(couponId);
    }

    /**
     * Prints the outcome of a coupon-service kill ({@code FAULT <name>: ...}) and checks it: every 201 is a row and
     * every row a claim, exactly the stock issued, within {@code unitsBackWithin} of the restart.
     */
    static void reportAndCheckKill(String name, long couponId, long stock, Stampede stampede, long issuedAtKill,
                                   long heldByTheKilled, Duration down, Duration soldOutAfterRestart,
                                   Duration unitsBackWithin) throws Exception {
        List<Stampede.Attempt> attempts = stampede.attempts();
        Map<Long, IssuedRows.Row> rows = IssuedRows.of(couponId);
        long pending = RedisCommands.number("ZCARD", "cp:{" + couponId + "}:pending");
        System.out.printf("FAULT %s: answers %s; 201 before kill %d; units reserved but not issued "
                        + "at the kill %d; rows %d of stock %d; issued_quantity %d; down %.1f s (kill to healthy); "
                        + "stock issued %s s after restart; reservations pending %d%n",
                name, Stampede.byOutcome(attempts), issuedAtKill, heldByTheKilled, rows.size(), stock,
                IssuedRows.issuedQuantity(couponId),
                down.toMillis() / 1000.0,
                soldOutAfterRestart == null ? "never" : String.format("%.1f", soldOutAfterRestart.toMillis() / 1000.0),
                pending);

        List<String> violations = new ArrayList<>(ClaimChecks.everyAnswered201IsARow(attempts, rows));
        violations.addAll(ClaimChecks.everyRowIsAClaim(attempts, rows));
        assertThat(violations).as("claims against rows").isEmpty();
        assertThat((long) rows.size()).as("rows: exactly the stock").isEqualTo(stock);
        assertThat(soldOutAfterRestart).as("every unit issued within %s of the restart", unitsBackWithin)
                .isNotNull().isLessThanOrEqualTo(unitsBackWithin);
        assertThat(IssuedRows.issuedQuantity(couponId)).as("the coupon's issued_quantity").isEqualTo(stock);
    }
}
