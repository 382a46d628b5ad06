package dev.couponhub.coupon.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import dev.couponhub.coupon.config.ClaimProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.coupon.CouponTerms;
import dev.couponhub.coupon.coupon.DiscountType;
import dev.couponhub.coupon.store.StoreSnapshot;
import dev.couponhub.devstack.Component;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.ProblemCode;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The gate's outcomes against a real Redis (devstack): what {@code claim/reserve.lua} answers, what release and
 * confirm leave behind, the rebuild from MySQL's issued rows (played by mocked repositories: the gate only reads
 * them).
 */
class ClaimGateTests {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    private static final Instant OPEN = T0.plusSeconds(60);
    private static final java.time.ZoneId SEOUL = java.time.ZoneId.of("Asia/Seoul");

    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;

    private final CouponRepository coupons = mock(CouponRepository.class);
    private final List<Object[]> issuedRows = new ArrayList<>();
    /** Issued rows' day slots: {claim day, user id, daySeq}. */
    private final List<Object[]> daySlotRows = new ArrayList<>();
    private ClaimGate gate;
    private long couponId;

    @BeforeAll
    static void connect() {
        connections = new LettuceConnectionFactory("127.0.0.1", TestDevstack.start(Component.REDIS).redisPort());
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
        redis.afterPropertiesSet();
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @BeforeEach
    void gate() {
        couponId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        IssuedSlots slots = new IssuedSlots() {
            @Override
            public void forEach(long id, Slot slot) {
                issuedRows.stream()
                        .sorted(java.util.Comparator.comparingLong(row -> ((Number) row[1]).longValue()))
                        .forEach(row -> slot.accept(((Number) row[0]).longValue(), ((Number) row[1]).longValue(),
                                ((Number) row[2]).intValue()));
            }

            @Override
            public void forEachOfDay(long id, java.time.LocalDate day, DaySlot slot) {
                daySlotRows.stream().filter(row -> row[0].equals(day))
                        .forEach(row -> slot.accept((Long) row[1], (Integer) row[2]));
            }
        };
        gate = new ClaimGate(redis, coupons, slots, mock(PlatformTransactionManager.class),
                new ClaimProperties(Duration.ofHours(24), Duration.ofMillis(300), true, 64, Duration.ofMillis(1),
                        2000, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1),
                        Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(10), SEOUL, 16));
        mysqlHas(coupon(3, 2, null));
    }

    @Test
    void reserveWhenStateMissingThenRebuiltFromTheIssuedRowsAndTheNextFreeUnitReserved() {
        issuedRows.add(new Object[] {1L, 77L, 1});
        issuedRows.add(new Object[] {3L, 78L, 1});

        Reservation reservation = gate.reserve(couponId, 5, OPEN);

        assertThat(reservation.seq()).isEqualTo(2);
        assertThat(reservation.userSeq()).isEqualTo(1);
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:meta", "total")).isEqualTo("3");
        assertRefused(() -> gate.reserve(couponId, 6, OPEN), "SOLD_OUT");
    }

    @Test
    void reserveWhenTheUserHoldsTheLimitThenClaimLimitReached() {
        Reservation first = gate.reserve(couponId, 5, OPEN);
        Reservation second = gate.reserve(couponId, 5, OPEN);

        assertThat(List.of(first.userSeq(), second.userSeq())).containsExactly(1, 2);
        assertRefused(() -> gate.reserve(couponId, 5, OPEN), "CLAIM_LIMIT_REACHED");
        assertThat(gate.reserve(couponId, 6, OPEN).seq()).isEqualTo(3);
    }

    @Test
    void reserveOutsideTheWindowOrAfterTheEndThenClaimWindowClosed() {
        assertRefused(() -> gate.reserve(couponId, 5, T0.minusMillis(1)), "CLAIM_WINDOW_CLOSED");
        assertRefused(() -> gate.reserve(couponId, 5, T0.plus(Duration.ofDays(1))), "CLAIM_WINDOW_CLOSED");
        assertThat(gate.reserve(couponId, 5, T0).seq()).isEqualTo(1);

        gate.markEnded(couponId);

        assertRefused(() -> gate.reserve(couponId, 6, OPEN), "CLAIM_WINDOW_CLOSED");
    }

    @Test
    void releaseThenTheUnitAndTheUsersSlotAreFreeAgain() {
        Reservation reservation = gate.reserve(couponId, 5, OPEN);

        reservation.release();

        Reservation again = gate.reserve(couponId, 6, OPEN);
        assertThat(again.seq()).isEqualTo(reservation.seq());
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:users", "5")).isEqualTo("00");
    }

    @Test
    void releaseUnusedThenWhatMySqlUsesStaysReserved() {
        Reservation reservation = gate.reserve(couponId, 5, OPEN);

        reservation.releaseUnused(true, false);

        assertThat(redis.opsForSet().members("cp:{" + couponId + "}:free")).isEmpty();
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:users", "5")).isEqualTo("00");
        assertThat(gate.reserve(couponId, 6, OPEN).seq()).isEqualTo(2);
    }

    @Test
    void releaseOfAReservationFromAnOlderStateThenIgnored() {
        Reservation old = gate.reserve(couponId, 5, OPEN);
        redis.delete(ClaimGate.keys(couponId));
        issuedRows.add(new Object[] {1L, 5L, 1});
        gate.reserve(couponId, 6, OPEN);

        old.release();

        assertThat(redis.opsForSet().members("cp:{" + couponId + "}:free")).isEmpty();
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:users", "5")).isEqualTo("10");
    }

    @Test
    void confirmAfterARebuildThatMissedTheCommitThenTheUnitIsCountedInTheNewState() {
        Reservation committed = gate.reserve(couponId, 5, OPEN);
        redis.delete(ClaimGate.keys(couponId));
        Reservation during = gate.reserve(couponId, 6, OPEN); // rebuilt without unit 1: it hands out 1 again

        committed.confirm();

        assertThat(during.seq()).isEqualTo(1);
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:users", "5")).isEqualTo("10");
        assertThat(gate.reserve(couponId, 7, OPEN).seq()).isEqualTo(2);
    }

    @Test
    void confirmCommittedAfterARebuildThatMissedTheCommitsThenEveryUnitIsCountedWithOneCall() {
        mysqlHas(coupon(5, 2, null));
        Reservation first = gate.reserve(couponId, 5, OPEN);
        Reservation second = gate.reserve(couponId, 6, OPEN);
        redis.delete(ClaimGate.keys(couponId));
        Reservation during = gate.reserve(couponId, 7, OPEN); // rebuilt without units 1 and 2: hands out 1 again

        gate.confirmCommitted(List.of(first, second));

        assertThat(first.isConfirmed()).isTrue();
        assertThat(second.isConfirmed()).isTrue();
        assertThat(during.seq()).isEqualTo(1);
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:users", "5")).isEqualTo("10");
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:users", "6")).isEqualTo("10");
        assertThat(gate.reserve(couponId, 8, OPEN).seq()).isEqualTo(3);
    }

    @Test
    void confirmCommittedWhenTheStateIsUnchangedThenConfirmedAndNothingChanges() {
        Reservation first = gate.reserve(couponId, 5, OPEN);
        Reservation second = gate.reserve(couponId, 6, OPEN);
        Map<Object, Object> users = redis.opsForHash().entries("cp:{" + couponId + "}:users");

        gate.confirmCommitted(List.of(first, second));

        assertThat(first.isConfirmed()).isTrue();
        assertThat(second.isConfirmed()).isTrue();
        assertThat(redis.opsForHash().entries("cp:{" + couponId + "}:users")).isEqualTo(users);
        assertThat(gate.reserve(couponId, 7, OPEN).seq()).isEqualTo(3);
    }

    @Test
    void confirmCommittedWhileARebuildHoldsTheLockThenLeftToTheClaimToConfirm() {
        Reservation committed = gate.reserve(couponId, 5, OPEN);
        redis.delete(ClaimGate.keys(couponId));
        redis.opsForValue().set("cp:{" + couponId + "}:lock", "rebuilding", Duration.ofSeconds(5));

        gate.confirmCommitted(List.of(committed));

        assertThat(committed.isConfirmed()).isFalse();
        redis.delete("cp:{" + couponId + "}:lock");
    }

    @Test
    void reserveWhenAnotherClaimHoldsTheRebuildLockTooLongThenDependencyUnavailable() {
        redis.opsForValue().set("cp:{" + couponId + "}:lock", "someone else", Duration.ofSeconds(5));

        assertRefused(() -> gate.reserve(couponId, 5, OPEN), "DEPENDENCY_UNAVAILABLE");
    }

    @Test
    void reserveThenPendingUntilConfirmedOrGivenBack() {
        Reservation confirmed = gate.reserve(couponId, 5, OPEN);
        Reservation released = gate.reserve(couponId, 6, OPEN);
        Reservation left = gate.reserve(couponId, 7, OPEN);
        assertThat(redis.opsForZSet().rangeWithScores(pending(), 0, -1)).extracting(tuple -> tuple.getValue(),
                tuple -> tuple.getScore()).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("1:5:1", (double) OPEN.toEpochMilli()),
                org.assertj.core.groups.Tuple.tuple("2:6:1", (double) OPEN.toEpochMilli()),
                org.assertj.core.groups.Tuple.tuple("3:7:1", (double) OPEN.toEpochMilli()));

        gate.confirmCommitted(List.of(confirmed));
        released.release();

        assertThat(redis.opsForZSet().range(pending(), 0, -1)).containsExactly(left.pendingMember());
        assertThat(gate.pendingSince(List.of(couponId, couponId + 1), OPEN.minusMillis(1), 10)).isEmpty();
        assertThat(gate.pendingSince(List.of(couponId, couponId + 1), OPEN, 10).get(couponId))
                .extracting(Reservation::seq, Reservation::userId, Reservation::userSeq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, 7L, 1));
    }

    @Test
    void reapThenOnlyWhatMySqlDoesNotHoldIsGivenBackAndOnlyOnce() {
        Reservation nothingIssued = gate.reserve(couponId, 5, OPEN);
        Reservation unitIssued = gate.reserve(couponId, 6, OPEN);

        assertThat(gate.reap(nothingIssued, false, false)).isTrue();
        assertThat(gate.reap(unitIssued, true, false)).isTrue();
        assertThat(gate.reap(nothingIssued, false, false)).as("no longer pending").isFalse();

        assertThat(redis.opsForSet().members("cp:{" + couponId + "}:free")).containsExactly("1");
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:users", "5")).isEqualTo("00");
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:users", "6")).isEqualTo("00");
        assertThat(redis.opsForZSet().size(pending())).isZero();
    }

    @Test
    void stateWithoutItsCounterThenRebuiltFromTheIssuedRows() {
        issuedRows.add(new Object[] {1L, 77L, 1});
        gate.reserve(couponId, 5, OPEN); // built: unit 2
        issuedRows.add(new Object[] {2L, 5L, 1});
        redis.delete("cp:{" + couponId + "}:next");

        assertThat(gate.reserve(couponId, 6, OPEN).seq()).isEqualTo(3);
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:users", "5")).isEqualTo("10");
    }

    @Test
    void invalidateThenOnlyTheGenerationFoundBehindIsDropped() {
        Reservation old = gate.reserve(couponId, 5, OPEN);
        gate.invalidate(old);
        Reservation rebuilt = gate.reserve(couponId, 6, OPEN);
        assertThat(rebuilt.generation()).isNotEqualTo(old.generation());

        gate.invalidate(old);

        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:meta", "gen")).isEqualTo(rebuilt.generation());
    }

    @Test
    void rebuildFromMoreUsersThanOneChunkThenEveryUserAndGapCounted() {
        mysqlHas(coupon(10_000, 2, null));
        for (long seq = 1; seq <= 5_000; seq++) {
            if (seq % 100 != 0) {
                issuedRows.add(new Object[] {seq, 1_000 + seq, 1});
            }
        }

        Reservation reservation = gate.reserve(couponId, 5, OPEN);

        assertThat(redis.opsForHash().size("cp:{" + couponId + "}:users")).isEqualTo(4_950 + 1);
        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:users", "1001")).isEqualTo("10");
        assertThat(redis.opsForValue().get("cp:{" + couponId + "}:next")).isEqualTo("4999");
        assertThat(reservation.seq() % 100).isZero();
        assertThat(redis.opsForSet().size("cp:{" + couponId + "}:free")).isEqualTo(48);
    }

    @Test
    void rebuildThatLosesItsLockThenStopsWithoutPublishingTheState() {
        IssuedSlots slow = (id, slot) -> {
            for (long seq = 1; seq <= 3_000; seq++) {
                if (seq == 1_500) {
                    redis.opsForValue().set("cp:{" + couponId + "}:lock", "someone else");
                }
                slot.accept(seq, 1_000 + seq, 1);
            }
        };
        mysqlHas(coupon(10_000, 1, null));
        ClaimGate losing = new ClaimGate(redis, coupons, slow, mock(PlatformTransactionManager.class),
                new ClaimProperties(Duration.ofHours(24), Duration.ofMillis(300), true, 64, Duration.ofMillis(1),
                        2000, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1),
                        Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(10), SEOUL, 16));

        assertRefused(() -> losing.reserve(couponId, 5, OPEN), "DEPENDENCY_UNAVAILABLE");

        assertThat(redis.opsForHash().get("cp:{" + couponId + "}:meta", "gen")).isNull();
        redis.delete("cp:{" + couponId + "}:lock");
    }

    private String pending() {
        return "cp:{" + couponId + "}:pending";
    }

    @Test
    void manyShoppersAtOnceThenExactlyTheStockIsReservedAndEachUnitOnce() throws Exception {
        mysqlHas(coupon(25, 1, null));
        int shoppers = 100;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Long>> answers = new ArrayList<>();
            for (long user = 1; user <= shoppers; user++) {
                long userId = user;
                Callable<Long> claim = () -> {
                    try {
                        return gate.reserve(couponId, userId, OPEN).seq();
                    } catch (ApiException refused) {
                        assertThat(refused.code().name()).isEqualTo("SOLD_OUT");
                        return 0L;
                    }
                };
                answers.add(pool.submit(claim));
            }
            List<Long> units = new ArrayList<>();
            for (Future<Long> answer : answers) {
                long seq = answer.get();
                if (seq > 0) {
                    units.add(seq);
                }
            }
            assertThat(units).hasSize(25).doesNotHaveDuplicates().allMatch(seq -> seq >= 1 && seq <= 25);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void amendWithALargerTotalThenTheNewUnitsAreReservableAtOnce() {
        for (long user = 1; user <= 3; user++) {
            gate.reserve(couponId, user, OPEN);
        }
        assertRefused(() -> gate.reserve(couponId, 4, OPEN), "SOLD_OUT");

        assertThat(gate.amend(couponId, 5, T0.plus(Duration.ofDays(1)))).isTrue();

        assertThat(List.of(gate.reserve(couponId, 4, OPEN).seq(), gate.reserve(couponId, 5, OPEN).seq()))
                .containsExactly(4L, 5L);
        assertRefused(() -> gate.reserve(couponId, 6, OPEN), "SOLD_OUT");
    }

    @Test
    void amendWithATotalBelowTheCounterThenOnlyWhatTheTotalAllowsStaysReservable() {
        mysqlHas(coupon(5, 1, null));
        List<Reservation> held = new ArrayList<>();
        for (long user = 1; user <= 5; user++) {
            held.add(gate.reserve(couponId, user, OPEN));
        }
        held.get(1).release();
        held.get(3).release(); // 3 units held, counter at 5, units 2 and 4 given back

        gate.amend(couponId, 4, T0.plus(Duration.ofDays(1)));

        assertThat(gate.reserve(couponId, 6, OPEN).seq()).isIn(2L, 4L);
        assertRefused(() -> gate.reserve(couponId, 7, OPEN), "SOLD_OUT");
    }

    @Test
    void amendWithAnEarlierEndThenReservationsAfterItAreRefused() {
        gate.reserve(couponId, 1, OPEN);

        gate.amend(couponId, 3, OPEN.plusSeconds(60));

        assertRefused(() -> gate.reserve(couponId, 2, OPEN.plusSeconds(60)), "CLAIM_WINDOW_CLOSED");
        assertThat(gate.reserve(couponId, 2, OPEN.plusSeconds(59)).seq()).isEqualTo(2);
    }

    @Test
    void amendWithoutAStateThenNothingIsWrittenAndTheNextClaimReadsMySql() {
        assertThat(gate.amend(couponId, 5, T0.plus(Duration.ofDays(1)))).isTrue();

        assertThat(redis.hasKey("cp:{" + couponId + "}:meta")).isFalse();
    }

    @Test
    void amendWhileARebuildHoldsTheLockThenAppliedOnceItEnds() throws Exception {
        gate.reserve(couponId, 1, OPEN);
        redis.opsForValue().set("cp:{" + couponId + "}:lock", "another rebuild", Duration.ofSeconds(5));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> amended = pool.submit(() -> gate.amend(couponId, 7, T0.plus(Duration.ofDays(1))));
            Thread.sleep(200);
            assertThat(amended).isNotDone();
            assertThat(redis.opsForHash().get("cp:{" + couponId + "}:meta", "total")).isEqualTo("3");

            redis.delete("cp:{" + couponId + "}:lock");

            assertThat(amended.get(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(redis.opsForHash().get("cp:{" + couponId + "}:meta", "total")).isEqualTo("7");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rebuildOfATotalLoweredBelowTheHighestUnitThenOnlyWhatTheTotalAllowsIsFree() {
        mysqlHas(coupon(3, 1, null));
        issuedRows.add(new Object[] {1L, 77L, 1});
        issuedRows.add(new Object[] {5L, 78L, 1}); // 2 issued, gaps 2, 3 and 4, room for 1

        assertThat(gate.reserve(couponId, 6, OPEN).seq()).isBetween(2L, 4L);
        assertRefused(() -> gate.reserve(couponId, 7, OPEN), "SOLD_OUT");
    }

    /** Seoul's midnight between 2026-11-21 and 2026-11-22 is 15:00 UTC; the window is open all that time. */
    private static final Instant SEOUL_MIDNIGHT = Instant.parse("2026-11-21T15:00:00Z");

    @Test
    void dailyLimitThenRefusedUntilMidnightInTheServiceZoneNotInUtc() {
        mysqlHas(dailyCoupon(10, 3, 1));

        assertThat(gate.reserve(couponId, 5, SEOUL_MIDNIGHT.minusSeconds(1)).daySeq()).isEqualTo(1);
        assertRefused(() -> gate.reserve(couponId, 5, SEOUL_MIDNIGHT.minusMillis(1)), "DAILY_LIMIT_REACHED");
        assertThat(gate.reserve(couponId, 6, SEOUL_MIDNIGHT.minusMillis(1)).daySeq()).as("another shopper")
                .isEqualTo(1);

        Reservation nextDay = gate.reserve(couponId, 5, SEOUL_MIDNIGHT);

        assertThat(nextDay.userSeq()).isEqualTo(2);
        assertThat(nextDay.daySeq()).isEqualTo(1);
        assertThat(nextDay.day()).isEqualTo("20261122");
        assertThat(nextDay.pendingMember()).isEqualTo(nextDay.seq() + ":5:2:1:20261122");
        assertRefused(() -> gate.reserve(couponId, 5, SEOUL_MIDNIGHT.plusSeconds(1)), "DAILY_LIMIT_REACHED");
        // UTC's midnight is in the middle of Seoul's day
        assertRefused(() -> gate.reserve(couponId, 5, Instant.parse("2026-11-21T23:59:59Z")), "DAILY_LIMIT_REACHED");
    }

    @Test
    void dailyLimitOfTwoThenTheThirdClaimOfTheDayIsRefusedAndTheLifetimeLimitStillCounts() {
        mysqlHas(dailyCoupon(10, 3, 2));

        gate.reserve(couponId, 5, OPEN);
        gate.reserve(couponId, 5, OPEN);
        assertRefused(() -> gate.reserve(couponId, 5, OPEN), "DAILY_LIMIT_REACHED");
        gate.reserve(couponId, 5, SEOUL_MIDNIGHT);

        assertRefused(() -> gate.reserve(couponId, 5, SEOUL_MIDNIGHT), "CLAIM_LIMIT_REACHED");
    }

    @Test
    void releaseOfADailyReservationThenItsDaySlotIsFreeAgain() {
        mysqlHas(dailyCoupon(10, 3, 1));
        Reservation reservation = gate.reserve(couponId, 5, OPEN);

        reservation.release();

        assertThat(gate.reserve(couponId, 5, OPEN).daySeq()).isEqualTo(1);
        assertThat(redis.opsForZSet().size(pending())).isEqualTo(1);
    }

    @Test
    void releaseUnusedWhenMySqlHoldsTheDaySlotThenItStaysTaken() {
        mysqlHas(dailyCoupon(10, 3, 1));
        Reservation reservation = gate.reserve(couponId, 5, OPEN);

        reservation.releaseUnused(false, false, true);

        assertRefused(() -> gate.reserve(couponId, 5, OPEN), "DAILY_LIMIT_REACHED");
    }

    @Test
    void rebuildThenTheDaySlotsOfTheClaimsDayComeFromTheIssuedRows() {
        mysqlHas(dailyCoupon(10, 3, 1));
        java.time.LocalDate today = java.time.LocalDate.of(2026, 11, 21); // OPEN in Seoul
        issuedRows.add(new Object[] {1L, 5L, 1});
        daySlotRows.add(new Object[] {today, 5L, 1});
        issuedRows.add(new Object[] {2L, 6L, 1});
        daySlotRows.add(new Object[] {today.minusDays(1), 6L, 1}); // yesterday's claim

        assertRefused(() -> gate.reserve(couponId, 5, OPEN), "DAILY_LIMIT_REACHED");
        assertThat(gate.reserve(couponId, 6, OPEN).daySeq()).isEqualTo(1);
    }

    @Test
    void reapOfADailyReservationNotInMySqlThenTheDaySlotIsGivenBack() {
        mysqlHas(dailyCoupon(10, 3, 1));
        gate.reserve(couponId, 5, OPEN);
        Reservation pending = gate.pendingSince(List.of(couponId), OPEN, 10).get(couponId).get(0);
        assertThat(pending.daySeq()).isEqualTo(1);
        assertThat(pending.day()).isEqualTo("20261121");

        assertThat(gate.reap(pending, false, false, false)).isTrue();

        assertThat(gate.reserve(couponId, 5, OPEN).daySeq()).isEqualTo(1);
    }

    @Test
    void confirmAfterARebuildThenTheDaySlotIsMarkedInTheNewState() {
        mysqlHas(dailyCoupon(10, 3, 1));
        Reservation committed = gate.reserve(couponId, 5, OPEN);
        redis.delete(ClaimGate.keys(couponId));
        redis.delete(ClaimGate.dayKey(couponId, "20261121"));
        gate.reserve(couponId, 6, OPEN); // rebuilt without the commit

        committed.confirm();

        assertRefused(() -> gate.reserve(couponId, 5, OPEN), "DAILY_LIMIT_REACHED");
    }

    private void mysqlHas(Coupon coupon) {
        ReflectionTestUtils.setField(coupon, "id", couponId);
        when(coupons.findWithStore(couponId)).thenReturn(Optional.of(coupon));
    }

    private static Coupon dailyCoupon(long total, int perUserLimit, int perUserDailyLimit) {
        StoreSnapshot store = new StoreSnapshot(1, 10, "Cafe", "CAFE", false, T0);
        return new Coupon(store, new CouponTerms("c", null, DiscountType.FIXED, 1000, 0, null, total, perUserLimit,
                perUserDailyLimit, T0, T0.plus(Duration.ofDays(1)), null, 30), T0.minusSeconds(60));
    }

    private static Coupon coupon(long total, int perUserLimit, Instant endedAt) {
        StoreSnapshot store = new StoreSnapshot(1, 10, "Cafe", "CAFE", false, T0);
        Coupon coupon = new Coupon(store, new CouponTerms("c", null, DiscountType.FIXED, 1000, 0, null, total,
                perUserLimit, T0, T0.plus(Duration.ofDays(1)), null, 30), T0.minusSeconds(60));
        if (endedAt != null) {
            coupon.end(endedAt);
        }
        return coupon;
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable claim, String code) {
        assertThatThrownBy(claim).isInstanceOfSatisfying(ApiException.class,
                refused -> assertThat(refused.code()).extracting(ProblemCode::name).isEqualTo(code));
    }
}
