package dev.couponhub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CouponServiceKillIT} with a kill that is certain to catch claims between their reservation in Redis and
 * their commit: MariaDB is paused ({@code SIGSTOP}) for a moment, so that the claims under way wait for their write,
 * coupon-service is killed during that moment if the coupon's pending set shows claims holding reservations (else
 * MariaDB resumes and the pause is tried again), then MariaDB resumes and coupon-service is started again. Those units
 * must be claimable again within a minute: the coupon ends with exactly its stock issued.
 */
@Order(6)
@ExtendWith(FaultSuite.class)
class CouponServiceKillHoldingReservationsIT {

    private static final long STOCK = 2000;
    private static final Duration UNITS_BACK_WITHIN = Duration.ofSeconds(60);

    @Test
    void killedInTheMiddleOfAStampedeThenEvery201IsARowAndExactlyTheStockIsIssued() throws Exception {
        Shoppers shoppers = Shoppers.get();
        long couponId = shoppers.publish("Fault suite: coupon-service killed holding reservations", STOCK);
        long issuedAtKill;
        long heldByTheKilled;
        Duration down;
        Duration soldOutAfterRestart = null;
        Stampede stampede = new Stampede(shoppers, couponId, 16, Duration.ZERO, Duration.ofMillis(50)).start();
        try (stampede) {
            assertThat(stampede.awaitUntil(s -> s.issued() >= STOCK / 4, Duration.ofSeconds(60)))
                    .as("a quarter of the stock claimed within 60 s").isTrue();
            issuedAtKill = stampede.issued();
            long mariadb = SuiteProcesses.devstackChild("mariadbd", "mysqld");
            SuiteProcesses.Killed killed = null;
            // claims under way either wait for MySQL before their reservation (the coupon, an Idempotency-Key) or
            // after it (the write): the kill must come while some are past it, which the pending set shows
            for (int attempt = 0; attempt < 10 && killed == null; attempt++) {
                SuiteProcesses.signal("STOP", mariadb);
                try {
                    Thread.sleep(500);
                    if (RedisCommands.number("ZCARD", "cp:{" + couponId + "}:pending") > 0) {
                        killed = SuiteProcesses.kill9Service("coupon-service");
                    }
                }
                finally {
                    SuiteProcesses.signal("CONT", mariadb);
                }
                if (killed == null) {
                    Thread.sleep(300);
                }
            }
            assertThat(killed).as("a kill while claims held reservations, within 10 pauses of MariaDB").isNotNull();
            Thread.sleep(1000); // whatever MariaDB held from the killed process is rolled back or committed by now
            heldByTheKilled = reservedButNotIssued(couponId);
            assertThat(heldByTheKilled).as("units held by the killed process").isPositive();
            down = SuiteProcesses.restart(killed, 8083, Duration.ofMinutes(3));
            long restarted = System.nanoTime();
            // demand goes on: the units of claims that died with the process must become claimable again
            long deadline = restarted + UNITS_BACK_WITHIN.plusSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                if (IssuedRows.countOrUnknown(couponId) >= STOCK) {
                    soldOutAfterRestart = Duration.ofNanos(System.nanoTime() - restarted);
                    break;
                }
                Thread.sleep(500);
            }
            long soldOutAnswers = stampede.soldOut();
            stampede.awaitUntil(s -> s.soldOut() > soldOutAnswers + 20, Duration.ofSeconds(10));
        }
        List<Stampede.Attempt> attempts = stampede.attempts();
        Map<Long, IssuedRows.Row> rows = IssuedRows.of(couponId);
        long pending = RedisCommands.number("ZCARD", "cp:{" + couponId + "}:pending");
        System.out.printf("FAULT coupon-service-kill-holding: answers %s; 201 before kill %d; units reserved but not issued "
                        + "at the kill %d; rows %d of stock %d; issued_quantity %d; down %.1f s (kill to healthy); "
                        + "stock issued %s s after restart; reservations pending %d%n",
                Stampede.byOutcome(attempts), issuedAtKill, heldByTheKilled, rows.size(), STOCK,
                IssuedRows.issuedQuantity(couponId),
                down.toMillis() / 1000.0,
                soldOutAfterRestart == null ? "never" : String.format("%.1f", soldOutAfterRestart.toMillis() / 1000.0),
                pending);

        List<String> violations = new ArrayList<>(ClaimChecks.everyAnswered201IsARow(attempts, rows));
        violations.addAll(ClaimChecks.everyRowIsAClaim(attempts, rows));
        assertThat(violations).as("claims against rows").isEmpty();
        assertThat((long) rows.size()).as("rows: exactly the stock").isEqualTo(STOCK);
        assertThat(soldOutAfterRestart).as("every unit issued within %s of the restart", UNITS_BACK_WITHIN)
                .isNotNull().isLessThanOrEqualTo(UNITS_BACK_WITHIN);
        assertThat(IssuedRows.issuedQuantity(couponId)).as("the coupon's issued_quantity").isEqualTo(STOCK);
    }

    /**
     * Units the gate handed out ({@code cp:{id}:next}) that were neither given back ({@code cp:{id}:free}) nor
     * issued: the reservations of claims that died with the process.
     */
    private static long reservedButNotIssued(long couponId) throws Exception {
        long next = RedisCommands.number("GET", "cp:{" + couponId + "}:next");
        long free = RedisCommands.number("SCARD", "cp:{" + couponId + "}:free");
        return next - free - IssuedRows.count(couponId);
    }
}
