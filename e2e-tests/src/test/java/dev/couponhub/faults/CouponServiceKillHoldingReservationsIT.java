package dev.couponhub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CouponServiceKillIT} with a kill that is certain to catch claims between their reservation in Redis and
 * their commit: MariaDB is paused ({@code SIGSTOP}) for a moment, so that the claims under way wait for their write,
 * coupon-service is killed during that moment if the coupon's pending set shows claims holding reservations (else
 * MariaDB resumes and the pause is tried again), then MariaDB resumes and coupon-service is started again (and killed
 * again if no unit was held, at most three times). Those units must be claimable again within a minute: the coupon
 * ends with exactly its stock issued.
 */
@Order(Order.DEFAULT + 6) // after the end-to-end classes (Order.DEFAULT), before SuiteShutdownIT
@ExtendWith(FaultSuite.class)
class CouponServiceKillHoldingReservationsIT {

    private static final long STOCK = 2000;
    private static final Duration UNITS_BACK_WITHIN = Duration.ofSeconds(60);
    private static final int MAX_KILLS = 3;

    @Test
    void killedInTheMiddleOfAStampedeThenEvery201IsARowAndExactlyTheStockIsIssued() throws Exception {
        Shoppers shoppers = Shoppers.get();
        long couponId = shoppers.publish("Fault suite: coupon-service killed holding reservations", STOCK);
        long issuedAtKill;
        long heldByTheKilled;
        Duration down;
        Duration soldOutAfterRestart;
        Stampede stampede = new Stampede(shoppers, couponId, 16, Duration.ZERO, Duration.ofMillis(50)).start();
        try (stampede) {
            assertThat(stampede.awaitUntil(s -> s.issued() >= STOCK / 4, Duration.ofSeconds(60)))
                    .as("a quarter of the stock claimed within 60 s").isTrue();
            issuedAtKill = stampede.issued();
            long mariadb = SuiteProcesses.devstackChild("mariadbd", "mysqld");
            heldByTheKilled = 0;
            down = null;
            // a pending entry may also be a unit whose write committed just before the pause (its confirm in Redis
            // still to come), so a kill can catch only such units: then the process is started again and killed
            // once more, until a kill catches units that no row holds
            for (int kill = 0; kill < MAX_KILLS && heldByTheKilled == 0; kill++) {
                SuiteProcesses.Killed killed = killWhilePending(couponId, mariadb);
                Thread.sleep(1000); // whatever MariaDB held from the killed process is rolled back or committed by now
                heldByTheKilled = KillScenario.reservedButNotIssued(couponId);
                down = SuiteProcesses.restart(killed, 8083, Duration.ofMinutes(3));
            }
            assertThat(heldByTheKilled).as("units held by the killed process, within %d kills", MAX_KILLS)
                    .isPositive();
            // demand goes on: the units of claims that died with the process must become claimable again
            soldOutAfterRestart = KillScenario.awaitSoldOut(stampede, couponId, STOCK, System.nanoTime(),
                    UNITS_BACK_WITHIN.plusSeconds(15));
        }
        KillScenario.reportAndCheckKill("coupon-service-kill-holding", couponId, STOCK, stampede, issuedAtKill,
                heldByTheKilled, down, soldOutAfterRestart, UNITS_BACK_WITHIN);
    }

    /**
     * Pauses MariaDB for half a second at a time, and kills coupon-service during a pause in which the coupon's
     * pending set shows claims holding reservations (at most 10 pauses).
     */
    private static SuiteProcesses.Killed killWhilePending(long couponId, long mariadb) throws Exception {
        // claims under way either wait for MySQL before their reservation (the coupon, an Idempotency-Key) or
        // after it (the write): the kill must come while some are past it, which the pending set shows
        for (int attempt = 0; attempt < 10; attempt++) {
            SuiteProcesses.signal("STOP", mariadb);
            try {
                Thread.sleep(500);
                if (RedisCommands.number("ZCARD", "cp:{" + couponId + "}:pending") > 0) {
                    return SuiteProcesses.kill9Service("coupon-service");
                }
            }
            finally {
                SuiteProcesses.signal("CONT", mariadb);
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no kill while claims held reservations within 10 pauses of MariaDB");
    }
}
