package dev.couponhub.coupon.claim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.couponhub.coupon.config.ClaimProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Redis gate in front of MySQL: one atomic script per claim ({@code claim/reserve.lua}) checks the window, the
 * per-user limit and the stock and reserves a unit. A claim either gets a {@link Reservation} or the {@link Refusal}'s
 * answer. When a coupon's state is missing from Redis (flushed, restarted, never built), one claim rebuilds it from
 * the issued rows in MySQL under a short lock while the others wait, up to {@code rebuildWait}.
 *
 * <p>Keys of coupon {@code N} (one hash slot: {@code {N}}): {@code cp:{N}:meta} (hash: {@link Claimability#gateState}
 * and {@code gen}, the state's generation), {@code cp:{N}:next} (highest sequence number handed out),
 * {@code cp:{N}:free} (set of sequence numbers given back), {@code cp:{N}:users} (hash: user id to a string of
 * '0'/'1', one character per user sequence number), {@code cp:{N}:taken} (sequence numbers above {@code next} that
 * claims in flight during a rebuild committed: the counter skips them), {@code cp:{N}:pending} (sorted set of the
 * reservations neither confirmed nor given back yet, scored by the time they were taken: {@link ReservationReaper}
 * gives back those a dead process left behind), {@code cp:{N}:lock} (the rebuild lock), and for a coupon with a daily
 * limit {@code cp:{N}:day:yyyyMMdd} (hash: user id to the user's slots of that day in the service zone, as
 * {@code users}; kept two days).
 *
 * <p>The state can be behind MySQL (a failover that lost recent writes, an evicted key). A state without its counter
 * is treated as missing; a unit or a user's slot that MySQL already holds makes the claim drop the state
 * ({@link #invalidate}), so that the next claim rebuilds it.
 */
@Component
class ClaimGate {

    /** What {@code claim/reserve.lua} answers. */
    enum Outcome {
        RESERVED, STATE_MISSING, WINDOW_CLOSED, LIMIT_REACHED, DAILY_LIMIT_REACHED, SOLD_OUT
    }

    private static final Logger log = LoggerFactory.getLogger(ClaimGate.class);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RESERVE = script("reserve", List.class);
    private static final RedisScript<String> RELEASE = script("release", String.class);
    private static final RedisScript<String> CONFIRM = script("confirm", String.class);
    private static final RedisScript<Long> UNLOCK = script("unlock", Long.class);
    private static final RedisScript<Long> MARK_ENDED = script("mark-ended", Long.class);
    private static final RedisScript<Long> REAP = script("reap", Long.class);
    private static final RedisScript<Long> INVALIDATE = script("invalidate", Long.class);
    private static final RedisScript<Long> RENEW = script("renew", Long.class);
    private static final RedisScript<String> AMEND = script("amend", String.class);

    static final Duration LOCK_TTL = Duration.ofSeconds(10);
    private static final long PAUSE_MILLIS = 10;
    private static final int CHUNK = 1000;

    private final StringRedisTemplate redis;
    private final CouponRepository coupons;
    private final IssuedSlots slots;
    private final TransactionTemplate readTx;
    private final Duration rebuildWait;
    private final ZoneId zone;

    ClaimGate(StringRedisTemplate redis, CouponRepository coupons, IssuedSlots slots,
              PlatformTransactionManager transactionManager, ClaimProperties properties) {
        this.redis = redis;
        this.coupons = coupons;
        this.slots = slots;
        this.readTx = new TransactionTemplate(transactionManager);
        this.readTx.setReadOnly(true);
        this.readTx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.rebuildWait = properties.rebuildWait();
        this.zone = properties.zone();
    }

    /**
     * Reserves a unit of the coupon for the user at {@code now}.
     *
     * @throws ApiException the refusal's answer ({@code CLAIM_WINDOW_CLOSED}, {@code SOLD_OUT},
     *                      {@code CLAIM_LIMIT_REACHED}, {@code DAILY_LIMIT_REACHED}), or 503 when the coupon's state
     *                      could not be rebuilt in time
     */
    Reservation reserve(long couponId, long userId, Instant now) {
        long deadline = System.nanoTime() + rebuildWait.toNanos();
        String day = dayOf(now);
        List<String> keys = new ArrayList<>(keys(couponId));
        keys.add(dayKey(couponId, day));
        while (true) {
            List<?> answer = redis.execute(RESERVE, keys, Long.toString(userId), Long.toString(now.toEpochMilli()),
                    day);
            switch (Outcome.valueOf(String.valueOf(answer.get(0)))) {
                case RESERVED -> {
                    return new Reservation(this, couponId, userId, ((Number) answer.get(1)).longValue(),
                            ((Number) answer.get(2)).intValue(), String.valueOf(answer.get(3)),
                            ((Number) answer.get(4)).intValue(), day);
                }
                case WINDOW_CLOSED -> throw Refusal.WINDOW_CLOSED.answer();
                case LIMIT_REACHED -> throw Refusal.LIMIT_REACHED.answer();
                case DAILY_LIMIT_REACHED -> throw Refusal.DAILY_LIMIT_REACHED.answer();
                case SOLD_OUT -> throw Refusal.SOLD_OUT.answer();
                case STATE_MISSING -> {
                    if (!rebuildIfMissing(couponId, now)) {
                        if (System.nanoTime() > deadline) {
                            throw new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                                    "Claims of this coupon are briefly unavailable. Try again shortly.");
                        }
                        pause();
                    }
                }
            }
        }
    }

    /**
     * Gives the chosen parts of a reservation back, unless the state was rebuilt since it was taken. A failure is
     * logged, not thrown: the unit then stays reserved, so stock is under-sold until the next rebuild, never
     * over-sold.
     */
    void release(Reservation reservation, boolean unit, boolean userSlot, boolean daySlot) {
        try {
            redis.execute(RELEASE, keysWithDay(reservation), Long.toString(reservation.userId()),
                    Long.toString(unit ? reservation.seq() : 0), Integer.toString(userSlot ? reservation.userSeq() : 0),
                    reservation.generation(), reservation.pendingMember(),
                    Integer.toString(daySlot ? reservation.daySeq() : 0));
        } catch (RuntimeException e) {
            log.warn("Could not give back {}: {}", reservation, e.toString());
        }
    }

    /**
     * Makes sure a committed unit is counted in Redis even if the state was rebuilt (from MySQL) between its
     * reservation and its commit. Waits (briefly) while a rebuild is under way.
     */
    void confirm(Reservation reservation) {
        List<String> keys = confirmKeys(reservation);
        long deadline = System.nanoTime() + LOCK_TTL.toNanos();
        try {
            while ("REBUILDING".equals(redis.execute(CONFIRM, keys, confirmArguments(List.of(reservation))))
                    && System.nanoTime() < deadline) {
                Thread.sleep(PAUSE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the unit is durable; at worst Redis under-counts it until a claim meets it in MySQL (unique keys)
            log.warn("Could not confirm {} in Redis: {}", reservation, e.toString());
        }
        reservation.markConfirmed();
    }

    /**
     * {@link #confirm} for the units of one committed batch, with one script call per coupon (and generation) rather
     * than one per claim, and without waiting: a reservation whose coupon is being rebuilt right now stays unconfirmed,
     * and its claim confirms it itself ({@link Reservation#confirm}).
     */
    void confirmCommitted(List<Reservation> reservations) {
        Map<String, List<Reservation>> groups = new LinkedHashMap<>();
        reservations.forEach(reservation -> groups.computeIfAbsent(reservation.couponId() + "/"
                + reservation.generation() + "/" + reservation.day(), group -> new ArrayList<>()).add(reservation));
        groups.values().forEach(group -> {
            long couponId = group.get(0).couponId();
            List<String> keys = confirmKeys(group.get(0));
            try {
                if ("REBUILDING".equals(redis.execute(CONFIRM, keys, confirmArguments(group)))) {
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("Could not confirm {} unit(s) of coupon {} in Redis: {}", group.size(), couponId,
                        e.toString());
            }
            group.forEach(Reservation::markConfirmed);
        });
    }

    /**
     * The confirm script's arguments: the generation of the reservations, then user, seq, userSeq, daySeq and pending
     * member of each.
     */
    private static Object[] confirmArguments(List<Reservation> reservations) {
        Object[] arguments = new Object[1 + reservations.size() * 5];
        arguments[0] = reservations.get(0).generation();
        int i = 1;
        for (Reservation reservation : reservations) {
            arguments[i++] = Long.toString(reservation.userId());
            arguments[i++] = Long.toString(reservation.seq());
            arguments[i++] = Integer.toString(reservation.userSeq());
            arguments[i++] = Integer.toString(reservation.daySeq());
            arguments[i++] = reservation.pendingMember();
        }
        return arguments;
    }

    /** The confirm script's keys: the state's, the rebuild lock, the reservation's day slots. */
    private static List<String> confirmKeys(Reservation reservation) {
        List<String> keys = new ArrayList<>(keys(reservation.couponId()));
        keys.add(lockKey(reservation.couponId()));
        keys.add(dayKey(reservation.couponId(), reservation.day()));
        return keys;
    }

    /** No more claims of this coupon (if its state is in Redis; a rebuild reads the end from MySQL). */
    void markEnded(long couponId) {
        redis.execute(MARK_ENDED, List.of(metaKey(couponId)));
    }

    /**
     * Gives the coupon's state the stock and end its owner just committed in MySQL ({@code claim/amend.lua}), so that
     * a raised stock is claimable at once. While a rebuild is under way (it may have read the coupon before the
     * change) it waits for the rebuild to end, up to twice the lock's time to live; without a state there is nothing
     * to change (the next claim builds it from MySQL).
     *
     * @return whether the state was changed or there was none; false when a rebuild outlasted the wait
     */
    boolean amend(long couponId, long totalQuantity, Instant issueEndsAt) {
        List<String> keys = keys(couponId);
        List<String> amendKeys = List.of(keys.get(0), keys.get(1), keys.get(2), lockKey(couponId));
        long deadline = System.nanoTime() + LOCK_TTL.toNanos() * 2;
        try {
            while ("REBUILDING".equals(redis.execute(AMEND, amendKeys, Long.toString(totalQuantity),
                    Long.toString(issueEndsAt.toEpochMilli())))) {
                if (System.nanoTime() > deadline) {
                    log.warn("Coupon {} was being rebuilt for too long; its new stock reaches claims with the next "
                            + "rebuild", couponId);
                    return false;
                }
                Thread.sleep(PAUSE_MILLIS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Drops the coupon's state of the reservation's generation because MySQL showed it behind: the unit or the user's
     * slot it handed out was already issued, or MySQL found the coupon full (a failover that lost recent writes, an
     * evicted key). The next claim rebuilds it from MySQL instead of burning its attempts on the gap.
     */
    void invalidate(Reservation reservation) {
        try {
            if (Long.valueOf(1).equals(redis.execute(INVALIDATE, List.of(metaKey(reservation.couponId())),
                    reservation.generation()))) {
                log.warn("The claim state of coupon {} was behind MySQL ({} already issued); it is rebuilt",
                        reservation.couponId(), reservation);
            }
        } catch (RuntimeException e) {
            log.warn("Could not drop the stale claim state of coupon {}: {}", reservation.couponId(), e.toString());
        }
    }

    /**
     * The reservations of each coupon pending since before {@code cutoff} (at most {@code limit} per coupon): reserved,
     * then neither confirmed nor given back. One pipelined read for all the coupons.
     */
    Map<Long, List<Reservation>> pendingSince(List<Long> couponIds, Instant cutoff, int limit) {
        List<Object> answers = redis.executePipelined((RedisCallback<Object>) connection -> {
            StringRedisConnection strings = (StringRedisConnection) connection;
            couponIds.forEach(couponId -> strings.zRangeByScore(keys(couponId).get(5), Double.NEGATIVE_INFINITY,
                    cutoff.toEpochMilli(), 0, limit));
            return null;
        });
        Map<Long, List<Reservation>> found = new HashMap<>();
        for (int i = 0; i < couponIds.size(); i++) {
            long couponId = couponIds.get(i);
            if (answers.get(i) instanceof Collection<?> members && !members.isEmpty()) {
                List<Reservation> reservations = new ArrayList<>();
                members.forEach(member -> {
                    String[] parts = String.valueOf(member).split(":");
                    reservations.add(new Reservation(this, couponId, Long.parseLong(parts[1]),
                            Long.parseLong(parts[0]), Integer.parseInt(parts[2]), "",
                            parts.length == 5 ? Integer.parseInt(parts[3]) : 0, parts.length == 5 ? parts[4] : ""));
                });
                found.put(couponId, reservations);
            }
        }
        return found;
    }

    /**
     * Gives back the parts of a pending reservation that MySQL does not hold, and ends it, if it is still pending
     * (a rebuild since, or a late confirm, leaves nothing to do). Answers whether it was.
     */
    boolean reap(Reservation reservation, boolean unitIssued, boolean slotIssued) {
        return reap(reservation, unitIssued, slotIssued, false);
    }

    /** {@link #reap(Reservation, boolean, boolean)}, also for the user's slot of the day. */
    boolean reap(Reservation reservation, boolean unitIssued, boolean slotIssued, boolean daySlotIssued) {
        return Long.valueOf(1).equals(redis.execute(REAP, keysWithDay(reservation), reservation.pendingMember(),
                Long.toString(reservation.seq()), Long.toString(reservation.userId()),
                Integer.toString(reservation.userSeq()), unitIssued ? "0" : "1", slotIssued ? "0" : "1",
                Integer.toString(reservation.daySeq()), daySlotIssued ? "0" : "1"));
    }

    /**
     * Rebuilds the coupon's state from MySQL if it is missing (or lost its counter) and no other claim is rebuilding
     * it. Answers whether this call did (false: someone else holds the lock, or the state is there again, or the
     * coupon is gone).
     *
     * <p>The issued rows are streamed from MySQL ({@link IssuedSlots}) and written to Redis a chunk at a time, so the
     * service holds one bit per unit of the stock and a chunk of users, whatever the number of rows. The lock is
     * renewed with each chunk; a rebuild that lost it stops without publishing its state (the meta hash, written last,
     * makes a state visible to claims).
     */
    boolean rebuildIfMissing(long couponId) {
        return rebuildIfMissing(couponId, Instant.now());
    }

    /** {@link #rebuildIfMissing(long)} for a claim at {@code now}: a daily limit's slots are rebuilt for its day. */
    boolean rebuildIfMissing(long couponId, Instant now) {
        String lockKey = lockKey(couponId);
        String token = UUID.randomUUID().toString();
        if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(lockKey, token, LOCK_TTL))) {
            return false;
        }
        try {
            List<String> keys = keys(couponId);
            if (redis.opsForHash().get(keys.get(0), "gen") != null && Boolean.TRUE.equals(redis.hasKey(keys.get(1)))) {
                return false;
            }
            // the coupon as MySQL has it now (not a copy a claim read earlier), then the units it issued
            Coupon coupon = readTx.execute(status -> coupons.findWithStore(couponId).orElse(null));
            if (coupon == null) {
                return false;
            }
            long units = write(coupon, dayOf(now), () -> renew(lockKey, token));
            log.info("Rebuilt the claim state of coupon {} from {} issued units", couponId, units);
            return true;
        } finally {
            redis.execute(UNLOCK, List.of(lockKey), token);
        }
    }

    private void renew(String lockKey, String token) {
        if (!Long.valueOf(1).equals(redis.execute(RENEW, List.of(lockKey), token,
                Long.toString(LOCK_TTL.toMillis())))) {
            throw new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                    "Claims of this coupon are briefly unavailable. Try again shortly.");
        }
    }

    /** Writes the coupon's state from its issued rows (the day slots of {@code day}); answers how many units. */
    private long write(Coupon coupon, String day, Runnable renewLock) {
        long couponId = coupon.id();
        int limit = coupon.perUserLimit();
        List<String> keys = keys(couponId);
        String dayKey = dayKey(couponId, day);
        redis.delete(keys);
        redis.delete(dayKey);
        BitSet used = new BitSet();
        long[] maxSeq = {0};
        long[] count = {0};
        Map<String, String> chunk = new HashMap<>();
        String[] user = {null};
        char[][] userSlots = {null};
        Runnable flushUser = () -> {
            if (user[0] != null) {
                chunk.put(user[0], new String(userSlots[0]));
                user[0] = null;
            }
        };
        Runnable flushChunk = () -> {
            if (!chunk.isEmpty()) {
                redis.opsForHash().putAll(keys.get(3), chunk);
                chunk.clear();
                renewLock.run();
            }
        };
        readTx.executeWithoutResult(status -> slots.forEach(couponId, (seq, userId, userSeq) -> {
            count[0]++;
            maxSeq[0] = Math.max(maxSeq[0], seq);
            used.set(Math.toIntExact(seq));
            String id = Long.toString(userId);
            if (!id.equals(user[0])) {
                flushUser.run();
                if (chunk.size() >= CHUNK) {
                    flushChunk.run();
                }
                user[0] = id;
                userSlots[0] = "0".repeat(limit).toCharArray();
            }
            if (userSeq >= 1 && userSeq <= limit) {
                userSlots[0][userSeq - 1] = '1';
            }
        }));
        flushUser.run();
        flushChunk.run();
        // the numbers below the counter no unit holds, as many as the stock still allows (a total lowered below the
        // counter leaves fewer units than gaps)
        long claimable = Math.max(0, coupon.totalQuantity() - count[0]);
        List<String> free = new ArrayList<>(CHUNK);
        long freed = 0;
        for (int seq = used.nextClearBit(1); seq <= maxSeq[0] && freed < claimable; seq = used.nextClearBit(seq + 1)) {
            freed++;
            free.add(Integer.toString(seq));
            if (free.size() == CHUNK) {
                redis.opsForSet().add(keys.get(2), free.toArray(String[]::new));
                free.clear();
                renewLock.run();
            }
        }
        if (!free.isEmpty()) {
            redis.opsForSet().add(keys.get(2), free.toArray(String[]::new));
        }
        redis.opsForValue().set(keys.get(1), Long.toString(maxSeq[0]));
        renewLock.run();
        if (coupon.perUserDailyLimit() != null) {
            writeDaySlots(couponId, coupon.perUserDailyLimit(), day, dayKey, renewLock);
        }
        // the meta hash last: claims see the state only once it is complete
        Map<String, String> meta = new HashMap<>(Claimability.gateState(coupon));
        meta.put("gen", UUID.randomUUID().toString());
        redis.opsForHash().putAll(keys.get(0), meta);
        return count[0];
    }

    /** The users' slots of the day of a coupon with a daily limit, a chunk of users at a time. */
    private void writeDaySlots(long couponId, int daily, String day, String dayKey, Runnable renewLock) {
        Map<Long, char[]> users = new HashMap<>();
        Runnable flush = () -> {
            if (!users.isEmpty()) {
                Map<String, String> chunk = new HashMap<>();
                users.forEach((user, daySlots) -> chunk.put(Long.toString(user), new String(daySlots)));
                redis.opsForHash().putAll(dayKey, chunk);
                users.clear();
                renewLock.run();
            }
        };
        readTx.executeWithoutResult(status -> slots.forEachOfDay(couponId, LocalDate.parse(day,
                DateTimeFormatter.BASIC_ISO_DATE), (userId, daySeq) -> {
            if (!users.containsKey(userId) && users.size() >= CHUNK) {
                flush.run();
            }
            char[] daySlots = users.computeIfAbsent(userId, user -> "0".repeat(daily).toCharArray());
            if (daySeq >= 1 && daySeq <= daily) {
                daySlots[daySeq - 1] = '1';
            }
        }));
        flush.run();
        redis.expire(dayKey, Duration.ofDays(2));
    }

    /** The day of {@code now} in the service zone, as the day keys and the issued rows name it ({@code yyyyMMdd}). */
    String dayOf(Instant now) {
        return LocalDate.ofInstant(now, zone).format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    /** The users' slots of one day of the coupon (hash: user id to a string of '0'/'1', one per daily slot). */
    static String dayKey(long couponId, String day) {
        return "cp:{" + couponId + "}:day:" + day;
    }

    private static List<String> keysWithDay(Reservation reservation) {
        List<String> keys = new ArrayList<>(keys(reservation.couponId()));
        keys.add(dayKey(reservation.couponId(), reservation.day()));
        return keys;
    }

    static List<String> keys(long couponId) {
        String tag = "cp:{" + couponId + "}:";
        return List.of(tag + "meta", tag + "next", tag + "free", tag + "users", tag + "taken", tag + "pending");
    }

    private static String metaKey(long couponId) {
        return "cp:{" + couponId + "}:meta";
    }

    private static String lockKey(long couponId) {
        return "cp:{" + couponId + "}:lock";
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE, "The claim was interrupted.");
        }
    }

    /**
     * The script's text, read once: a script made from a resource checks the resource's last-modified time on every
     * call (inside the service's jar that is a class-path look-up per claim, 3 % of the service's CPU in a profile).
     */
    private static <T> RedisScript<T> script(String name, Class<T> answer) {
        try {
            return RedisScript.of(new ClassPathResource("claim/" + name + ".lua")
                    .getContentAsString(StandardCharsets.UTF_8), answer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Redis script claim/" + name + ".lua", e);
        }
    }
}
