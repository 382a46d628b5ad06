package dev.couponhub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MariaDB paused ({@code SIGSTOP}) for 20 s while shoppers claim, then resumed ({@code SIGCONT}): every claim is
 * answered within 5 s, with 201, 409 or 503 {@code DEPENDENCY_UNAVAILABLE}, and no claim answered 503 is ever issued
 * (no issued row carries the {@code Idempotency-Key} of a claim answered 503, also once the statements and COMMITs
 * MariaDB held are carried out after it resumes).
 */
@Order(Order.DEFAULT + 2) // after the end-to-end classes (Order.DEFAULT), before SuiteShutdownIT
@ExtendWith(FaultSuite.class)
class MariaDbPauseIT {

    private static final long STOCK = 4000;
    private static final Duration PAUSE = Duration.ofSeconds(20);
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    @Test
    void pausedForTwentySecondsThenEveryClaimAnsweredWithinFiveSecondsAndNo503Issued() throws Exception {
        Shoppers shoppers = Shoppers.get();
        long couponId = shoppers.publish("Fault suite: MariaDB paused", STOCK);
        long mariadb = SuiteProcesses.devstackChild("mariadbd", "mysqld");
        long paused;
        long resumed;
        // paced (about 300 claims a second) so that stock is left for the whole pause and after it
        Stampede stampede = new Stampede(shoppers, couponId, 12, Duration.ofMillis(25), Duration.ofMillis(25)).start();
        try (stampede) {
            assertThat(stampede.awaitUntil(s -> s.issued() >= 300, Duration.ofSeconds(60)))
                    .as("claims issued before the pause").isTrue();
            SuiteProcesses.signal("STOP", mariadb);
            paused = System.nanoTime();
            try {
                Thread.sleep(PAUSE.toMillis());
            }
            finally {
                SuiteProcesses.signal("CONT", mariadb);
                resumed = System.nanoTime();
            }
            long issuedAtResume = stampede.issued();
            stampede.awaitUntil(s -> s.issued() > issuedAtResume + 300, Duration.ofSeconds(30));
        }
        List<Stampede.Attempt> attempts = stampede.attempts();
        // whatever MariaDB held while paused has been carried out or rolled back by now; look a little later still
        Thread.sleep(3000);
        Map<Long, IssuedRows.Row> rows = IssuedRows.of(couponId);

        List<Stampede.Attempt> duringPause = attempts.stream()
                .filter(a -> a.answeredNanos() >= paused && a.sentNanos() <= resumed).toList();
        long firstIssueAfterResume = attempts.stream().filter(a -> a.status() == 201 && a.sentNanos() >= resumed)
                .mapToLong(Stampede.Attempt::answeredNanos).min().orElse(-1);
        Set<String> keysOf503 = attempts.stream().filter(a -> a.status() == 503).map(Stampede.Attempt::key)
                .collect(Collectors.toSet());
        List<IssuedRows.Row> issuedAfter503 = rows.values().stream()
                .filter(row -> keysOf503.contains(row.idempotencyKey())).toList();
        List<Stampede.Attempt> slow = attempts.stream().filter(a -> a.latency().compareTo(ANSWER_WITHIN) > 0).toList();
        List<Stampede.Attempt> unexpected = attempts.stream().filter(a -> !(a.status() == 201 || a.status() == 409
                || a.status() == 503 && "DEPENDENCY_UNAVAILABLE".equals(a.code()))).toList();
        System.out.printf("FAULT mariadb-pause: answers %s; during the pause %s; slowest %d ms; answered 503 "
                        + "but issued %d; rows %d; first 201 %s s after resume%n",
                Stampede.byOutcome(attempts), Stampede.byOutcome(duringPause), ClaimChecks.slowestMillis(attempts),
                issuedAfter503.size(), rows.size(),
                firstIssueAfterResume < 0 ? "never" : String.format("%.1f", (firstIssueAfterResume - resumed) / 1e9));

        assertThat(issuedAfter503).as("rows of claims answered 503").isEmpty();
        assertThat(slow).as("claims answered after more than %s", ANSWER_WITHIN).isEmpty();
        assertThat(unexpected).as("answers other than 201, 409, 503 DEPENDENCY_UNAVAILABLE").isEmpty();
        List<String> violations = new ArrayList<>(ClaimChecks.everyAnswered201IsARow(attempts, rows));
        violations.addAll(ClaimChecks.everyRowIsAClaim(attempts, rows));
        assertThat(violations).as("claims against rows").isEmpty();
        assertThat(duringPause).as("claims answered during the pause").isNotEmpty()
                .anyMatch(a -> a.status() == 503);
        assertThat(firstIssueAfterResume).as("claims issued again after the resume").isPositive();
    }
}
