package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.couponhub.devstack.Component;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * MySQL stops answering, or answers slowly, in the middle of a stampede (issue 15). Every claim is answered within
 * 5 seconds (201, or 503 DEPENDENCY_UNAVAILABLE, or 409 SOLD_OUT); every 201 is in MySQL and no 503 is, also after
 * the outage ended; the units of 503'd claims went back to the stock, which sells out exactly, never beyond; and
 * Redis's counters agree with MySQL again. The service reaches MariaDB through a {@link StallingProxy}.
 */
@TestPropertySource(properties = "grpc.server.in-process-name=coupon-service-outage-it")
class ClaimOutageIT extends CouponServiceItSupport {

    private static final int MARIADB_PORT = TestDevstack.start(Component.MARIADB).mariadbPort();
    private static final StallingProxy MARIADB = new StallingProxy(MARIADB_PORT);
    private static final long ANSWER_WITHIN_NANOS = TimeUnit.MILLISECONDS.toNanos(5_500);
    private static final int STOCK = 1_000;
    private static final int SHOPPERS = 24;

    @DynamicPropertySource
    static void mariadbThroughProxy(DynamicPropertyRegistry registry) {
        String url = TestDevstack.start(Component.MARIADB).jdbcUrl("coupon_db")
                .replace(":" + MARIADB_PORT + "/", ":" + MARIADB.port() + "/");
        registry.add("spring.datasource.hikari.jdbc-url", () -> url);
    }

    @Autowired
    DataSource dataSource;

    private record Answer(long userId, int status, String code, long nanos, String text) {
    }

    /** What happens to MySQL once some claims were answered 201; returns when MySQL is back. */
    private interface Outage {
        void happen(long couponId) throws Exception;
    }

    @AfterEach
    void flowAgain() {
        MARIADB.resume();
    }

    /**
     * The network to MariaDB holds every byte for 3 seconds and then delivers them: COMMITs sent before the stall
     * reach MariaDB after it, so a claim answered 503 while its COMMIT was on its way would show up in MySQL.
     */
    @Test
    void mysqlStalledDuringAStampedeThenEveryClaimAnsweredInTimeAndNoClaimAnswered503IsIssued() throws Exception {
        assertThat(((HikariDataSource) dataSource).getJdbcUrl()).contains(":" + MARIADB.port() + "/");
        long couponId = openCoupon(STOCK, 1);

        List<Answer> answers = stampede(couponId, coupon -> {
            MARIADB.stall();
            Thread.sleep(3_000);
            MARIADB.resume();
        });

        assertAnsweredInTimeAndMySqlAndRedisAgree(couponId, answers);
    }

    /**
     * The network stalls just as the claim writer sends a batch's XA PREPARE and delivers it 8 seconds later, long
     * after its claims had to be answered: they are answered 503 and never issued (the PREPARE that arrives late leaves
     * a prepared transaction, which the writer rolls back), and their units go back to the stock.
     */
    @Test
    void mysqlStalledAtAPrepareForLongerThanAClaimMayWaitThenItsClaimsAnswered503AreNeverIssued() throws Exception {
        List<Answer> answers = stampedeStalledAt("XA PREPARE", 8_000);
        assertThat(answers).as("claims of the stalled batch").anyMatch(answer -> answer.status() == 503);
    }

    /**
     * The network stalls just as the claim writer sends a batch's XA COMMIT and delivers it 8 seconds later: the batch
     * was prepared, so its claims are answered 201 at once, and are in MySQL once it is back (the late XA COMMIT or the
     * writer commits it).
     */
    @Test
    void mysqlStalledAtAnXaCommitThenItsClaimsAnswered201AreIssued() throws Exception {
        stampedeStalledAt("XA COMMIT", 8_000);
    }

    private List<Answer> stampedeStalledAt(String statement, long millis) throws Exception {
        long couponId = openCoupon(STOCK, 1);
        List<Answer> answers = stampede(couponId, coupon -> {
            MARIADB.stallAtNext(statement);
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!MARIADB.stalled()) {
                assertThat(System.nanoTime() - giveUp).as("a %s was sent", statement).isNegative();
                Thread.onSpinWait();
            }
            Thread.sleep(millis);
            MARIADB.resume();
        });
        assertAnsweredInTimeAndMySqlAndRedisAgree(couponId, answers);
        assertThat(jdbc.queryForList("XA RECOVER")).as("prepared transactions left").isEmpty();
        return answers;
    }

    /**
     * MariaDB answers, but slowly: another transaction holds the coupon's row for 8 seconds, so every write of its
     * claims waits for the lock (up to MariaDB's 50 s lock wait).
     */
    @Test
    void mysqlSlowDuringAStampedeThenEveryClaimAnsweredInTimeAndNoClaimAnswered503IsIssued() throws Exception {
        long couponId = openCoupon(STOCK, 1);

        List<Answer> answers = stampede(couponId, coupon -> {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT id FROM coupons WHERE id = ? FOR UPDATE")) {
                    lock.setLong(1, coupon);
                    lock.executeQuery().close();
                }
                Thread.sleep(8_000);
                connection.rollback();
            }
        });

        assertAnsweredInTimeAndMySqlAndRedisAgree(couponId, answers);
    }

    /**
     * {@link #SHOPPERS} threads claim the coupon, each claim by a new shopper, until it is sold out; once 30 claims
     * were answered 201 the outage happens. Answers every claim's answer and how long it took.
     */
    private List<Answer> stampede(long couponId, Outage outage) throws Exception {
        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicInteger issuedAnswers = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(SHOPPERS);
        List<Future<?>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < SHOPPERS; i++) {
                runs.add(pool.submit(() -> {
                    while (true) {
                        long userId = newUserId();
                        long start = System.nanoTime();
                        ApiClient.Response response = claim(couponId, userId);
                        long took = System.nanoTime() - start;
                        String code = response.status() == 201 ? null : response.json().path("code").asText();
                        answers.add(new Answer(userId, response.status(), code, took, response.toString()));
                        if (response.status() == 201) {
                            issuedAnswers.incrementAndGet();
                        } else if ("SOLD_OUT".equals(code) || response.status() >= 500 && response.status() != 503) {
                            return;
                        }
                    }
                }));
            }
            // the outage comes while claims are being written: some answered, most of the stock still to go
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (issuedAnswers.get() < 30) {
                assertThat(System.nanoTime() - giveUp).as("claims answered 201 before the outage").isNegative();
                assertThat(runs).as("shoppers still claiming").anyMatch(run -> !run.isDone());
                Thread.onSpinWait();
            }
            outage.happen(couponId);
            for (Future<?> run : runs) {
                run.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(answers);
    }

    private void assertAnsweredInTimeAndMySqlAndRedisAgree(long couponId, List<Answer> answers) {
        Set<Long> answered201 = new HashSet<>();
        Set<Long> answered503 = new HashSet<>();
        for (Answer answer : answers) {
            assertThat(answer.nanos()).as("answered within 5 s: %s", answer.text()).isLessThan(ANSWER_WITHIN_NANOS);
            switch (answer.status()) {
                case 201 -> answered201.add(answer.userId());
                case 503 -> {
                    assertThat(answer.code()).as(answer.text()).isEqualTo("DEPENDENCY_UNAVAILABLE");
                    answered503.add(answer.userId());
                }
                case 409 -> assertThat(answer.code()).as(answer.text()).isEqualTo("SOLD_OUT");
                default -> throw new AssertionError("unexpected answer " + answer.text());
            }
        }
        assertThat(answered503).as("claims that met the outage").isNotEmpty();

        // every 201 is in MySQL, and nothing else: no claim answered 503 was issued, also once MySQL was back
        Set<Long> inMySql = new HashSet<>(jdbc.queryForList("SELECT user_id FROM issued_coupons WHERE coupon_id = ?",
                Long.class, couponId));
        assertThat(inMySql).as("issued rows").containsExactlyInAnyOrderElementsOf(answered201);
        // units of 503'd claims went back: the stock sold out exactly, never beyond
        assertThat(issuedCount(couponId)).isEqualTo(STOCK);
        assertThat(jdbc.queryForObject("SELECT issued_quantity FROM coupons WHERE id = ?", Long.class, couponId))
                .isEqualTo(STOCK);

        // Redis agrees with MySQL: every unit handed out, none waiting to be given back, slots only of issued rows
        String tag = "cp:{" + couponId + "}:";
        assertThat(redis.opsForValue().get(tag + "next")).isEqualTo(Integer.toString(STOCK));
        assertThat(redis.opsForSet().size(tag + "free")).isZero();
        Set<Long> slotsTaken = new HashSet<>();
        for (Map.Entry<Object, Object> slots : redis.opsForHash().entries(tag + "users").entrySet()) {
            if (slots.getValue().toString().contains("1")) {
                slotsTaken.add(Long.parseLong(slots.getKey().toString()));
            }
        }
        assertThat(slotsTaken).as("users holding a slot in Redis").containsExactlyInAnyOrderElementsOf(inMySql);
    }
}
