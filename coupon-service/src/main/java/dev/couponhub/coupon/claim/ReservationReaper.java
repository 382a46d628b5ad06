package dev.couponhub.coupon.claim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.couponhub.coupon.config.ClaimProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives back units that stay reserved in Redis with nobody to end their reservation: the process that reserved them
 * died (or could not reach Redis to give them back) between the reservation and its answer, or its COMMIT's outcome
 * was unknown. Without this such a unit is never sold (claims answer {@code SOLD_OUT} while the coupon shows stock)
 * and the shopper's slot stays taken ({@code CLAIM_LIMIT_REACHED} while holding nothing).
 *
 * <p>Every reservation is recorded in its coupon's pending set until it is confirmed or given back
 * ({@link ClaimGate}). Every {@code reaper-interval} one instance (a Redis lock) reads, for each coupon whose claim
 * window is open, the reservations pending for longer than {@code reservation-ttl}, which is longer than any claim
 * may hold one ({@link ClaimProperties#longestClaim()}). It asks MySQL whether their unit and their user's slot are
 * issued, with a locking read that waits for a transaction still inserting them, and gives back what is not issued.
 * So a unit of a dead process is claimable again within {@code reservation-ttl + reaper-interval} (40 s by default).
 * Even if a COMMIT sent before that were still to arrive afterwards, MySQL's unique keys on the unit and the slot
 * refuse one of the two issues: the stock is never over-sold.
 */
@Component
public class ReservationReaper {

    private static final Logger log = LoggerFactory.getLogger(ReservationReaper.class);
    private static final String LOCK_KEY = "cp:reaper:lock";
    /** Most reservations of one coupon given back per run. */
    static final int PER_COUPON = 500;
    private static final int COUPONS_PER_READ = 1000;

    private final ClaimGate gate;
    private final BatchSettler settler;
    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final TransactionTemplate tx;
    private final ClaimProperties properties;
    private final Clock clock;
    private final Counter reaped;

    ReservationReaper(ClaimGate gate, BatchSettler settler, JdbcTemplate jdbc, StringRedisTemplate redis,
                      PlatformTransactionManager transactionManager, ClaimProperties properties, Clock clock,
                      MeterRegistry meters) {
        this.gate = gate;
        this.settler = settler;
        this.jdbc = jdbc;
        this.redis = redis;
        this.tx = new TransactionTemplate(transactionManager);
        this.tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.tx.setTimeout(10);
        this.properties = properties;
        this.clock = clock;
        this.reaped = Counter.builder("couponhub.claims.reservations.reaped")
                .description("Reserved units given back by the reaper: their claim's process died or lost Redis")
                .register(meters);
    }

    /** For the scheduler: one instance per interval does the work. */
    public void runScheduled() {
        try {
            Duration hold = properties.reaperInterval().minusMillis(100);
            if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(LOCK_KEY, UUID.randomUUID().toString(),
                    hold.isNegative() || hold.isZero() ? properties.reaperInterval() : hold))) {
                return;
            }
            // first the prepared claim batches nobody will end (they hold their rows' locks), then the reservations
            settler.recover();
            reap(clock.instant());
        } catch (RuntimeException e) {
            log.warn("Reservation reaper run failed; retried next run: {}", e.toString());
        }
    }

    /**
     * Gives back what reservations pending since before {@code now - reservation-ttl} left unissued, for every coupon
     * whose claim window is open at {@code now} (or closed since then). Answers how many reservations it ended.
     */
    public int reap(Instant now) {
        Instant cutoff = now.minus(properties.reservationTtl());
        List<long[]> open = jdbc.query("SELECT id, per_user_limit FROM coupons WHERE issue_ends_at > ? "
                        + "AND issue_starts_at <= ? AND ended_at IS NULL",
                (rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)}, utc(cutoff), utc(now));
        int ended = 0;
        for (int from = 0; from < open.size(); from += COUPONS_PER_READ) {
            List<long[]> chunk = open.subList(from, Math.min(open.size(), from + COUPONS_PER_READ));
            Map<Long, List<Reservation>> pending = gate.pendingSince(chunk.stream().map(coupon -> coupon[0]).toList(),
                    cutoff, PER_COUPON);
            for (long[] coupon : chunk) {
                List<Reservation> stale = pending.getOrDefault(coupon[0], List.of());
                if (!stale.isEmpty()) {
                    ended += reapCoupon(coupon[0], (int) coupon[1], stale);
                }
            }
        }
        return ended;
    }

    private int reapCoupon(long couponId, int perUserLimit, List<Reservation> stale) {
        int[] ended = {0};
        int[] givenBack = {0};
        tx.executeWithoutResult(status -> {
            Set<Long> issuedUnits = issuedUnits(couponId, stale);
            Set<String> issuedSlots = issuedSlots(couponId, perUserLimit, stale);
            Set<String> issuedDaySlots = issuedDaySlots(couponId, stale);
            for (Reservation reservation : stale) {
                boolean unitIssued = issuedUnits.contains(reservation.seq());
                boolean slotIssued = issuedSlots.contains(reservation.userId() + ":" + reservation.userSeq());
                boolean daySlotIssued = issuedDaySlots.contains(reservation.userId() + ":" + reservation.day() + ":"
                        + reservation.daySeq());
                if (gate.reap(reservation, unitIssued, slotIssued, daySlotIssued)) {
                    ended[0]++;
                    if (!unitIssued) {
                        givenBack[0]++;
                    }
                }
            }
        });
        reaped.increment(givenBack[0]);
        if (ended[0] > 0) {
            log.warn("Ended {} reservation(s) of coupon {} left pending for over {}: {} unit(s) given back, the rest "
                    + "were issued", ended[0], couponId, properties.reservationTtl(), givenBack[0]);
        }
        return ended[0];
    }

    /** The reservations' units that issued rows hold (a locking read: waits for a transaction inserting one). */
    private Set<Long> issuedUnits(long couponId, List<Reservation> stale) {
        List<Object> arguments = new ArrayList<>();
        arguments.add(couponId);
        stale.forEach(reservation -> arguments.add(reservation.seq()));
        return new HashSet<>(jdbc.queryForList("SELECT seq FROM issued_coupons WHERE coupon_id = ? AND seq IN ("
                + String.join(", ", Collections.nCopies(stale.size(), "?")) + ") LOCK IN SHARE MODE", Long.class,
                arguments.toArray()));
    }

    /** The reservations' user slots that issued rows hold ({@code "user:userSeq"}), read as {@link #issuedUnits}. */
    private Set<String> issuedSlots(long couponId, int perUserLimit, List<Reservation> stale) {
        List<Object> arguments = new ArrayList<>();
        arguments.add(couponId);
        arguments.add(perUserLimit);
        stale.forEach(reservation -> {
            arguments.add(reservation.userId());
            arguments.add(reservation.userSeq());
        });
        return new HashSet<>(jdbc.query("SELECT user_id, user_seq FROM issued_coupons WHERE coupon_id = ? "
                        + "AND per_user_limit = ? AND (" + String.join(" OR ",
                        Collections.nCopies(stale.size(), "(user_id = ? AND user_seq = ?)")) + ") LOCK IN SHARE MODE",
                (rs, row) -> rs.getLong(1) + ":" + rs.getInt(2), arguments.toArray()));
    }

    /**
     * The reservations' day slots that issued rows hold ({@code "user:yyyyMMdd:daySeq"}), read as {@link #issuedUnits};
     * none when no reservation holds one (a coupon without a daily limit).
     */
    private Set<String> issuedDaySlots(long couponId, List<Reservation> stale) {
        List<Reservation> withDay = stale.stream().filter(reservation -> reservation.daySeq() > 0).toList();
        if (withDay.isEmpty()) {
            return Set.of();
        }
        List<Object> arguments = new ArrayList<>();
        arguments.add(couponId);
        withDay.forEach(reservation -> {
            arguments.add(reservation.userId());
            arguments.add(LocalDate.parse(reservation.day(), DateTimeFormatter.BASIC_ISO_DATE));
            arguments.add(reservation.daySeq());
        });
        return new HashSet<>(jdbc.query("SELECT user_id, claim_day, day_seq FROM issued_coupons WHERE coupon_id = ? "
                        + "AND (" + String.join(" OR ", Collections.nCopies(withDay.size(),
                        "(user_id = ? AND claim_day = ? AND day_seq = ?)")) + ") LOCK IN SHARE MODE",
                (rs, row) -> rs.getLong(1) + ":" + rs.getObject(2, LocalDate.class)
                        .format(DateTimeFormatter.BASIC_ISO_DATE) + ":" + rs.getInt(3),
                arguments.toArray()));
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
