package dev.couponhub.coupon.claim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.couponhub.coupon.config.ClaimProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.issued.IssuedCouponRepository;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
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
 * claims in flight during a rebuild committed: the counter skips them), {@code cp:{N}:lock} (the rebuild lock).
 */
@Component
class ClaimGate {

    /** What {@code claim/reserve.lua} answers. */
    enum Outcome {
        RESERVED, STATE_MISSING, WINDOW_CLOSED, LIMIT_REACHED, SOLD_OUT
    }

    private static final Logger log = LoggerFactory.getLogger(ClaimGate.class);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RESERVE = script("reserve", List.class);
    private static final RedisScript<String> RELEASE = script("release", String.class);
    private static final RedisScript<String> CONFIRM = script("confirm", String.class);
    private static final RedisScript<Long> UNLOCK = script("unlock", Long.class);
    private static final RedisScript<Long> MARK_ENDED = script("mark-ended", Long.class);

    static final Duration LOCK_TTL = Duration.ofSeconds(10);
    private static final long PAUSE_MILLIS = 10;
    private static final int CHUNK = 1000;

    private final StringRedisTemplate redis;
    private final CouponRepository coupons;
    private final IssuedCouponRepository issued;
    private final TransactionTemplate readTx;
    private final Duration rebuildWait;

    ClaimGate(StringRedisTemplate redis, CouponRepository coupons, IssuedCouponRepository issued,
              PlatformTransactionManager transactionManager, ClaimProperties properties) {
        this.redis = redis;
        this.coupons = coupons;
        this.issued = issued;
        this.readTx = new TransactionTemplate(transactionManager);
        this.readTx.setReadOnly(true);
        this.readTx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.rebuildWait = properties.rebuildWait();
    }

    /**
     * Reserves a unit of the coupon for the user at {@code now}.
     *
     * @throws ApiException the refusal's answer ({@code CLAIM_WINDOW_CLOSED}, {@code SOLD_OUT},
     *                      {@code CLAIM_LIMIT_REACHED}), or 503 when the coupon's state could not be rebuilt in time
     */
    Reservation reserve(long couponId, long userId, Instant now) {
        long deadline = System.nanoTime() + rebuildWait.toNanos();
        while (true) {
            List<?> answer = redis.execute(RESERVE, keys(couponId), Long.toString(userId),
                    Long.toString(now.toEpochMilli()));
            switch (Outcome.valueOf(String.valueOf(answer.get(0)))) {
                case RESERVED -> {
                    return new Reservation(this, couponId, userId, ((Number) answer.get(1)).longValue(),
                            ((Number) answer.get(2)).intValue(), String.valueOf(answer.get(3)));
                }
                case WINDOW_CLOSED -> throw Refusal.WINDOW_CLOSED.answer();
                case LIMIT_REACHED -> throw Refusal.LIMIT_REACHED.answer();
                case SOLD_OUT -> throw Refusal.SOLD_OUT.answer();
                case STATE_MISSING -> {
                    if (!rebuildIfMissing(couponId)) {
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
    void release(Reservation reservation, boolean unit, boolean userSlot) {
        try {
            redis.execute(RELEASE, keys(reservation.couponId()), Long.toString(reservation.userId()),
                    Long.toString(unit ? reservation.seq() : 0), Integer.toString(userSlot ? reservation.userSeq() : 0),
                    reservation.generation());
        } catch (RuntimeException e) {
            log.warn("Could not give back {}: {}", reservation, e.toString());
        }
    }

    /**
     * Makes sure a committed unit is counted in Redis even if the state was rebuilt (from MySQL) between its
     * reservation and its commit. Waits (briefly) while a rebuild is under way.
     */
    void confirm(Reservation reservation) {
        List<String> keys = new ArrayList<>(keys(reservation.couponId()));
        keys.add(lockKey(reservation.couponId()));
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
                + reservation.generation(), group -> new ArrayList<>()).add(reservation));
        groups.values().forEach(group -> {
            long couponId = group.get(0).couponId();
            List<String> keys = new ArrayList<>(keys(couponId));
            keys.add(lockKey(couponId));
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

    /** The confirm script's arguments: the generation of the reservations, then user, seq and userSeq of each. */
    private static Object[] confirmArguments(List<Reservation> reservations) {
        Object[] arguments = new Object[1 + reservations.size() * 3];
        arguments[0] = reservations.get(0).generation();
        int i = 1;
        for (Reservation reservation : reservations) {
            arguments[i++] = Long.toString(reservation.userId());
            arguments[i++] = Long.toString(reservation.seq());
            arguments[i++] = Integer.toString(reservation.userSeq());
        }
        return arguments;
    }

    /** No more claims of this coupon (if its state is in Redis; a rebuild reads the end from MySQL). */
    void markEnded(long couponId) {
        redis.execute(MARK_ENDED, List.of(metaKey(couponId)));
    }

    /**
     * Rebuilds the coupon's state from MySQL if it is missing and no other claim is rebuilding it. Answers whether
     * this call did (false: someone else holds the lock, or the state is there again, or the coupon is gone).
     */
    boolean rebuildIfMissing(long couponId) {
        String lockKey = lockKey(couponId);
        String token = UUID.randomUUID().toString();
        if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(lockKey, token, LOCK_TTL))) {
            return false;
        }
        try {
            if (redis.opsForHash().get(metaKey(couponId), "gen") != null) {
                return false;
            }
            // the coupon as MySQL has it now (not a copy a claim read earlier), then the units it issued
            Coupon coupon = readTx.execute(status -> coupons.findWithStore(couponId).orElse(null));
            if (coupon == null) {
                return false;
            }
            List<Object[]> slots = readTx.execute(status -> issued.issuedSlots(couponId));
            write(coupon, slots);
            log.info("Rebuilt the claim state of coupon {} from {} issued units", couponId, slots.size());
            return true;
        } finally {
            redis.execute(UNLOCK, List.of(lockKey), token);
        }
    }

    private void write(Coupon coupon, List<Object[]> slots) {
        long couponId = coupon.id();
        int limit = coupon.perUserLimit();
        long maxSeq = 0;
        BitSet used = new BitSet();
        Map<String, char[]> users = new HashMap<>();
        for (Object[] slot : slots) {
            long seq = ((Number) slot[0]).longValue();
            long userId = ((Number) slot[1]).longValue();
            int userSeq = ((Number) slot[2]).intValue();
            maxSeq = Math.max(maxSeq, seq);
            used.set((int) seq);
            char[] userSlots = users.computeIfAbsent(Long.toString(userId), id -> "0".repeat(limit).toCharArray());
            if (userSeq >= 1 && userSeq <= limit) {
                userSlots[userSeq - 1] = '1';
            }
        }
        List<String> free = new ArrayList<>();
        for (long seq = 1; seq <= maxSeq; seq++) {
            if (!used.get((int) seq)) {
                free.add(Long.toString(seq));
            }
        }
        List<String> keys = keys(couponId);
        redis.delete(keys);
        redis.opsForValue().set(keys.get(1), Long.toString(maxSeq));
        for (int from = 0; from < free.size(); from += CHUNK) {
            redis.opsForSet().add(keys.get(2), free.subList(from, Math.min(free.size(), from + CHUNK))
                    .toArray(String[]::new));
        }
        List<Map.Entry<String, char[]>> entries = new ArrayList<>(users.entrySet());
        for (int from = 0; from < entries.size(); from += CHUNK) {
            Map<String, String> chunk = new HashMap<>();
            entries.subList(from, Math.min(entries.size(), from + CHUNK))
                    .forEach(entry -> chunk.put(entry.getKey(), new String(entry.getValue())));
            redis.opsForHash().putAll(keys.get(3), chunk);
        }
        // the meta hash last: claims see the state only once it is complete
        Map<String, String> meta = new HashMap<>(Claimability.gateState(coupon));
        meta.put("gen", UUID.randomUUID().toString());
        redis.opsForHash().putAll(keys.get(0), meta);
    }

    static List<String> keys(long couponId) {
        String tag = "cp:{" + couponId + "}:";
        return List.of(tag + "meta", tag + "next", tag + "free", tag + "users", tag + "taken");
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
