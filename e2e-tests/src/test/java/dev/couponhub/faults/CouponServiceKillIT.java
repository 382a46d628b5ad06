package dev.couponhub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kill -9} of coupon-service in the middle of a stampede, started again as the launcher started it, while the
 * shoppers go on claiming: every 201 answered is an issued row, and the coupon ends with exactly its stock issued,
 * the units reserved by claims the killed process never finished included (given back within a minute of the
 * restart).
 */
@Order(Order.DEFAULT + 1) // after the end-to-end classes (Order.DEFAULT), before SuiteShutdownIT
@ExtendWith(FaultSuite.class)
class CouponServiceKillIT {

    private static final long STOCK = 2000;
    private static final Duration UNITS_BACK_WITHIN = Duration.ofSeconds(60);

    @Test
    void killedInTheMiddleOfAStampedeThenEvery201IsARowAndExactlyTheStockIsIssued() throws Exception {
        Shoppers shoppers = Shoppers.get();
        long couponId = shoppers.publish("Fault suite: coupon-service killed", STOCK);
        long issuedAtKill;
        long heldByTheKilled;
        Duration down;
        Duration soldOutAfterRestart;
        Stampede stampede = new Stampede(shoppers, couponId, 16, Duration.ZERO, Duration.ofMillis(50)).start();
        try (stampede) {
            assertThat(stampede.awaitUntil(s -> s.issued() >= STOCK / 4, Duration.ofSeconds(60)))
                    .as("a quarter of the stock claimed within 60 s").isTrue();
            issuedAtKill = stampede.issued();
            SuiteProcesses.Killed killed = SuiteProcesses.kill9Service("coupon-service");
            heldByTheKilled = KillScenario.reservedButNotIssued(couponId);
            down = SuiteProcesses.restart(killed, 8083, Duration.ofMinutes(3));
            // demand goes on: the units of claims that died with the process must become claimable again
            soldOutAfterRestart = KillScenario.awaitSoldOut(stampede, couponId, STOCK, System.nanoTime(),
                    UNITS_BACK_WITHIN.plusSeconds(15));
        }
        KillScenario.reportAndCheckKill("coupon-service-kill", couponId, STOCK, stampede, issuedAtKill,
                heldByTheKilled, down, soldOutAfterRestart, UNITS_BACK_WITHIN);
    }
}
