package dev.couponhub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis lost in the middle of a stampede: the devstack's redis-server killed ({@code kill -9}), its append-only file
 * deleted, and the same binary started again on the same port with the devstack's settings, empty; later one key of
 * the coupon's claim state ({@code cp:{id}:next}, the unit counter) deleted alone. Shoppers go on claiming until the
 * coupon sells out: every 201 is an issued row, and exactly the stock is issued (the state rebuilt from MySQL, the
 * lost counter caught up without issuing a unit twice).
 */
@Order(Order.DEFAULT + 3) // after the end-to-end classes (Order.DEFAULT), before SuiteShutdownIT
@ExtendWith(FaultSuite.class)
class RedisLossIT {

    private static final long STOCK = 2000;

    @Test
    void restartedEmptyAndACounterDeletedThenExactlyTheStockIsIssued() throws Exception {
        Shoppers shoppers = Shoppers.get();
        long couponId = shoppers.publish("Fault suite: Redis lost", STOCK);
        Duration redisDown;
        Duration soldOutAfterLoss;
        long issuedAtLoss;
        long issuedAtKeyLoss;
        long lossAt;
        Stampede stampede = new Stampede(shoppers, couponId, 16, Duration.ZERO, Duration.ofMillis(50)).start();
        try (stampede) {
            assertThat(stampede.awaitUntil(s -> s.issued() >= STOCK / 4, Duration.ofSeconds(60)))
                    .as("a quarter of the stock claimed within 60 s").isTrue();
            issuedAtLoss = stampede.issued();
            lossAt = System.nanoTime();
            redisDown = restartRedisEmpty();
            assertThat(stampede.awaitUntil(s -> s.issued() >= STOCK / 2, Duration.ofSeconds(60)))
                    .as("half of the stock claimed within 60 s of the loss").isTrue();
            issuedAtKeyLoss = stampede.issued();
            long deleted = RedisCommands.number("DEL", "cp:{" + couponId + "}:next");
            assertThat(deleted).as("cp:{%d}:next existed", couponId).isEqualTo(1);
            soldOutAfterLoss = KillScenario.awaitSoldOut(stampede, couponId, STOCK, lossAt, Duration.ofSeconds(90));
        }
        List<Stampede.Attempt> attempts = stampede.attempts();
        Map<Long, IssuedRows.Row> rows = IssuedRows.of(couponId);
        String next = String.valueOf(RedisCommands.call("GET", "cp:{" + couponId + "}:next"));
        System.out.printf("FAULT redis-loss: answers %s; 201 before the loss %d, before the key loss %d; rows %d of "
                        + "stock %d; Redis down %.1f s; stock issued %s s after the loss; cp:{id}:next %s%n",
                Stampede.byOutcome(attempts), issuedAtLoss, issuedAtKeyLoss, rows.size(), STOCK,
                redisDown.toMillis() / 1000.0,
                soldOutAfterLoss == null ? "never" : String.format("%.1f", soldOutAfterLoss.toMillis() / 1000.0), next);

        List<String> violations = new ArrayList<>(ClaimChecks.everyAnswered201IsARow(attempts, rows));
        violations.addAll(ClaimChecks.everyRowIsAClaim(attempts, rows));
        assertThat(violations).as("claims against rows").isEmpty();
        assertThat((long) rows.size()).as("rows: exactly the stock").isEqualTo(STOCK);
        assertThat(IssuedRows.issuedQuantity(couponId)).as("the coupon's issued_quantity").isEqualTo(STOCK);
        assertThat(attempts.stream().filter(a -> !(a.status() == 201 || a.status() == 409
                || a.status() == 503 && "DEPENDENCY_UNAVAILABLE".equals(a.code()))).toList())
                .as("answers other than 201, 409, 503 DEPENDENCY_UNAVAILABLE").isEmpty();
    }

    /**
     * Kills the devstack's redis-server, deletes its data and starts the same binary on the same port with the
     * devstack's settings ({@code RedisServerProcess}); answers how long Redis did not answer.
     */
    private static Duration restartRedisEmpty() throws Exception {
        long pid = SuiteProcesses.devstackChild("redis-server");
        // Redis rewrites its process title, so its arguments are not in /proc: the binary is its first word
        String binary = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")))
                .replace('\0', ' ').trim().split(" ")[0];
        Path dir = FaultSuite.DATA.resolve("redis");
        long killed = System.nanoTime();
        SuiteProcesses.kill9(pid);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                if (!file.equals(dir)) {
                    Files.delete(file);
                }
            }
        }
        SuiteProcesses.Launch launch = new SuiteProcesses.Launch(List.of(binary, "--bind", "127.0.0.1", "--port",
                Integer.toString(RedisCommands.PORT), "--dir", dir.toString(), "--appendonly", "yes",
                "--appendfsync", "everysec", "--save", "", "--daemonize", "no"), System.getenv(), dir);
        long newPid = launch.start(FaultSuite.LOGS.resolve("redis-restarted.log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                if ("PONG".equals(RedisCommands.call("PING"))) {
                    break;
                }
            }
            catch (java.io.IOException e) {
                // not listening yet
            }
            assertThat(SuiteProcesses.alive(newPid)).as("redis-server started again (log %s)",
                    FaultSuite.LOGS.resolve("redis-restarted.log")).isTrue();
            assertThat(System.nanoTime()).as("Redis answers within 10 s of its restart").isLessThan(deadline);
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - killed);
    }
}
