package dev.couponhub.coupon.claim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.issued.IssuedCouponRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Redis gate in front of MySQL: one atomic script per claim checks the window, the per-user limit and the stock
 * and reserves a unit (a global sequence number and the user's sequence number). Reservations of claims whose
 * database write failed are given back. When a coupon's state is missing from Redis (flushed, restarted, never
 * built) it is rebuilt from the issued rows in MySQL under a short lock; claims meanwhile wait and retry.
 *
 * <p>Keys of coupon {@code N} (one hash slot: {@code {N}}): {@code cp:{N}:meta} (hash: total, limit, start, end, ended,
 * gen), {@code cp:{N}:next} (highest sequence number handed out), {@code cp:{N}:free} (set of sequence numbers given
 * back), {@code cp:{N}:users} (hash: user id to a string of '0'/'1', one character per user sequence number),
 * {@code cp:{N}:taken} (sequence numbers above {@code next} that claims in flight during a rebuild committed: the
 * counter skips them).
 */
@Component
class ClaimGate {

    /** How a reservation attempt ended. */
    enum Outcome {
        RESERVED, STATE_MISSING, WINDOW_CLOSED, SOLD_OUT, LIMIT_REACHED
    }

    /** A reserved unit, or why none was; {@code generation} identifies the Redis state it was taken from. */
    record Reservation(Outcome outcome, long seq, int userSeq, String generation) {
    }

    private static final Logger log = LoggerFactory.getLogger(ClaimGate.class);

    private static final DefaultRedisScript<List> RESERVE = new DefaultRedisScript<>("""
            local meta = redis.call('HMGET', KEYS[1], 'total', 'limit', 'start', 'end', 'ended', 'gen')
            if not meta[1] or not meta[6] then return {-1, 0, 0, ''} end
            local total = tonumber(meta[1])
            local limit = tonumber(meta[2])
            local now = tonumber(ARGV[2])
            if meta[5] == '1' or now < tonumber(meta[3]) or now >= tonumber(meta[4]) then return {-2, 0, 0, meta[6]} end
            local slots = redis.call('HGET', KEYS[4], ARGV[1]) or ''
            if string.len(slots) < limit then slots = slots .. string.rep('0', limit - string.len(slots)) end
            local userSeq = string.find(slots, '0', 1, true)
            if not userSeq or userSeq > limit then return {-4, 0, 0, meta[6]} end
            local seq = redis.call('SPOP', KEYS[3])
            if seq then
              seq = tonumber(seq)
            else
              while true do
                local issued = tonumber(redis.call('GET', KEYS[2]) or '0')
                if issued >= total then return {-3, 0, 0, meta[6]} end
                seq = redis.call('INCR', KEYS[2])
                if redis.call('SREM', KEYS[5], tostring(seq)) == 0 then break end
              end
            end
            slots = string.sub(slots, 1, userSeq - 1) .. '1' .. string.sub(slots, userSeq + 1)
            redis.call('HSET', KEYS[4], ARGV[1], slots)
            return {1, seq, userSeq, meta[6]}
            """, List.class);

    private static final DefaultRedisScript<Long> RELEASE = new DefaultRedisScript<>("""
            if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[4] then return 0 end
            local seq = tonumber(ARGV[2])
            if seq > 0 and seq <= tonumber(redis.call('GET', KEYS[2]) or '0') then
              redis.call('SADD', KEYS[3], ARGV[2])
            end
            local userSeq = tonumber(ARGV[3])
            if userSeq > 0 then
              local slots = redis.call('HGET', KEYS[4], ARGV[1])
              if slots and string.len(slots) >= userSeq then
                slots = string.sub(slots, 1, userSeq - 1) .. '0' .. string.sub(slots, userSeq + 1)
                redis.call('HSET', KEYS[4], ARGV[1], slots)
              end
            end
            return 1
            """, Long.class);

    /**
     * After a unit was committed: if the state was rebuilt since its reservation (another generation), the rebuild may
     * have read MySQL before the commit; mark the unit and the user's slot used in the new state. Idempotent.
     * Answers -1 while the state is missing and being rebuilt (the caller retries), 0 when nothing was needed.
     */
    private static final DefaultRedisScript<Long> CONFIRM = new DefaultRedisScript<>("""
            local gen = redis.call('HGET', KEYS[1], 'gen')
            if not gen then
              if redis.call('EXISTS', KEYS[6]) == 1 then return -1 end
              return 0
            end
            if gen == ARGV[4] then return 0 end
            local seq = tonumber(ARGV[2])
            local issued = tonumber(redis.call('GET', KEYS[2]) or '0')
            if seq <= issued then
              redis.call('SREM', KEYS[3], ARGV[2])
            else
              redis.call('SADD', KEYS[5], ARGV[2])
            end
            local limit = tonumber(redis.call('HGET', KEYS[1], 'limit'))
            local userSeq = tonumber(ARGV[3])
            local slots = redis.call('HGET', KEYS[4], ARGV[1]) or ''
            if string.len(slots) < limit then slots = slots .. string.rep('0', limit - string.len(slots)) end
            if userSeq <= limit then
              slots = string.sub(slots, 1, userSeq - 1) .. '1' .. string.sub(slots, userSeq + 1)
              redis.call('HSET', KEYS[4], ARGV[1], slots)
            end
            return 1
            """, Long.class);

    private static final DefaultRedisScript<Long> UNLOCK = new DefaultRedisScript<>("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """, Long.class);

    private static final DefaultRedisScript<Long> MARK_ENDED = new DefaultRedisScript<>("""
            if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'ended', '1') return 1 end
            return 0
            """, Long.class);

    static final Duration LOCK_TTL = Duration.ofSeconds(10);
    private static final int CHUNK = 1000;

    private final StringRedisTemplate redis;
    private final IssuedCouponRepository issued;
    private final TransactionTemplate readTx;

    ClaimGate(StringRedisTemplate redis, IssuedCouponRepository issued, PlatformTransactionManager transactionManager) {
        this.redis = redis;
        this.issued = issued;
        this.readTx = new TransactionTemplate(transactionManager);
        this.readTx.setReadOnly(true);
        this.readTx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    }

    /** One atomic reservation attempt. */
    @SuppressWarnings("unchecked")
    Reservation reserve(long couponId, long userId, Instant now) {
        List<Object> result = redis.execute(RESERVE, keys(couponId), Long.toString(userId),
                Long.toString(now.toEpochMilli()));
        long code = ((Number) result.get(0)).longValue();
        String generation = result.size() > 3 && result.get(3) != null ? result.get(3).toString() : "";
        Outcome outcome = switch ((int) code) {
            case 1 -> Outcome.RESERVED;
            case -1 -> Outcome.STATE_MISSING;
            case -2 -> Outcome.WINDOW_CLOSED;
            case -3 -> Outcome.SOLD_OUT;
            case -4 -> Outcome.LIMIT_REACHED;
            default -> throw new IllegalStateException("unexpected claim script answer " + code);
        };
        return new Reservation(outcome, ((Number) result.get(1)).longValue(), ((Number) result.get(2)).intValue(),
                generation);
    }

    /**
     * Gives a reservation back (the sequence number to the free set, the user's slot cleared), unless the state was
     * rebuilt since it was taken. {@code seq} or {@code userSeq} 0 keeps that part reserved (it is used in MySQL).
     */
    void release(long couponId, long userId, long seq, int userSeq, String generation) {
        try {
            redis.execute(RELEASE, keys(couponId), Long.toString(userId), Long.toString(seq),
                    Integer.toString(userSeq), generation);
        } catch (RuntimeException e) {
            // The unit stays reserved in Redis: stock is under-sold until the next rebuild, never over-sold.
            log.warn("Could not give back reservation {} of coupon {}: {}", seq, couponId, e.toString());
        }
    }

    /**
     * Makes sure a committed unit is counted in Redis even if the state was rebuilt (from MySQL) between its
     * reservation and its commit. Waits (briefly) while a rebuild is under way.
     */
    void confirm(long couponId, long userId, long seq, int userSeq, String generation) {
        List<String> keys = new ArrayList<>(keys(couponId));
        keys.add("cp:{" + couponId + "}:lock");
        long deadline = System.nanoTime() + LOCK_TTL.toNanos();
        try {
            while (true) {
                Long result = redis.execute(CONFIRM, keys, Long.toString(userId), Long.toString(seq),
                        Integer.toString(userSeq), generation);
                if (result == null || result >= 0 || System.nanoTime() > deadline) {
                    return;
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the unit is durable; at worst Redis under-counts it until a claim meets it in MySQL (unique keys)
            log.warn("Could not confirm unit {} of coupon {} in Redis: {}", seq, couponId, e.toString());
        }
    }

    /** No more claims of this coupon (if its state is in Redis; a rebuild reads the end from MySQL). */
    void markEnded(long couponId) {
        redis.execute(MARK_ENDED, List.of(metaKey(couponId)));
    }

    /**
     * Rebuilds the coupon's state from MySQL if it is missing and no other claim is rebuilding it. Answers whether
     * this call did (false: someone else holds the lock, or the state is there again).
     */
    boolean rebuildIfMissing(long couponId, Supplier<Coupon> current) {
        String lockKey = "cp:{" + couponId + "}:lock";
        String token = UUID.randomUUID().toString();
        Boolean locked = redis.opsForValue().setIfAbsent(lockKey, token, LOCK_TTL);
        if (!Boolean.TRUE.equals(locked)) {
            return false;
        }
        try {
            if (Boolean.TRUE.equals(redis.hasKey(metaKey(couponId)))
                    && redis.opsForHash().get(metaKey(couponId), "gen") != null) {
                return false;
            }
            // the coupon as MySQL has it now (not a copy a claim read earlier), then the units it issued
            Coupon coupon = current.get();
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
        java.util.BitSet used = new java.util.BitSet();
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
        Map<String, String> userMap = new HashMap<>();
        users.forEach((user, chars) -> userMap.put(user, new String(chars)));
        List<Map.Entry<String, String>> entries = new ArrayList<>(userMap.entrySet());
        for (int from = 0; from < entries.size(); from += CHUNK) {
            Map<String, String> chunk = new HashMap<>();
            entries.subList(from, Math.min(entries.size(), from + CHUNK)).forEach(e -> chunk.put(e.getKey(), e.getValue()));
            redis.opsForHash().putAll(keys.get(3), chunk);
        }
        // the meta hash last: claims see the state only once it is complete
        Map<String, String> meta = new HashMap<>();
        meta.put("total", Long.toString(coupon.totalQuantity()));
        meta.put("limit", Integer.toString(limit));
        meta.put("start", Long.toString(coupon.issueStartsAt().toEpochMilli()));
        meta.put("end", Long.toString(coupon.issueEndsAt().toEpochMilli()));
        meta.put("ended", coupon.endedAt() != null ? "1" : "0");
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
}
