package dev.couponhub.coupon.claim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.couponhub.coupon.config.ClaimProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.issued.IssuedCoupon;
import dev.couponhub.coupon.issued.IssuedCouponRepository;
import dev.couponhub.coupon.issued.IssuedCouponResponse;
import dev.couponhub.coupon.web.CouponProblem;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims, first come first served; the claim path reads top to bottom in this package: {@link ClaimController} →
 * this service ({@link #claim}: the {@code Idempotency-Key}, then {@code issue}) → {@link Claimability} (the rule) →
 * {@link ClaimGate} (Redis decides who gets a unit: a {@link Reservation} or a {@link Refusal}) → {@link ClaimWriter}
 * (MySQL is the truth: row, issued count, event; several claims per transaction with group commit) →
 * {@link Reservation#confirm}. The 201 is answered only after the claim's transaction committed. No lock is held
 * across the network: the reservation is taken before the transaction and given back if the write fails.
 */
@Service
class ClaimService {

    private static final Logger log = LoggerFactory.getLogger(ClaimService.class);
    private static final int MAX_ATTEMPTS = 8;
    private static final long POLL_MILLIS = 20;

    private final CouponRepository coupons;
    private final IssuedCouponRepository issued;
    private final ClaimGate gate;
    private final ClaimWriter writer;
    private final IdempotencyStore idempotency;
    private final TransactionTemplate readTx;
    private final ClaimProperties properties;
    private final Clock clock;
    private final Timer claimTimer;
    private final Timer gateTimer;
    /** Coupons with their store, read by recent claims: a stampede on one coupon reads it once per TTL, not per claim. */
    private final Cache<Long, Coupon> recentCoupons;

    ClaimService(CouponRepository coupons, IssuedCouponRepository issued, ClaimGate gate, ClaimWriter writer,
                 IdempotencyStore idempotency, PlatformTransactionManager transactionManager,
                 ClaimProperties properties, Clock clock, MeterRegistry meters) {
        this.coupons = coupons;
        this.issued = issued;
        this.gate = gate;
        this.writer = writer;
        this.idempotency = idempotency;
        this.readTx = new TransactionTemplate(transactionManager);
        this.readTx.setReadOnly(true);
        this.properties = properties;
        this.clock = clock;
        // buckets, not percentiles computed here: they add up over instances (histogram_quantile) and over any span of
        // time, e.g. the load-tests harness's measured phase
        this.claimTimer = Timer.builder("couponhub.claims").description("Claims answered 201")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(meters);
        this.gateTimer = ClaimStages.timer(meters, "gate", "Reservations in Redis (the gate script), per attempt");
        this.recentCoupons = Caffeine.newBuilder().expireAfterWrite(properties.couponCacheTtl())
                .maximumSize(10_000).build();
    }

    /**
     * Claims a unit of the coupon for the user; with a key, a repeat answers what the first request answered, and the
     * key used by the user for another coupon is refused ({@code IDEMPOTENCY_KEY_REUSED}).
     */
    IssuedCouponResponse claim(long userId, long couponId, String idempotencyKey) {
        return claimOrGrant(userId, couponId, idempotencyKey, false);
    }

    /**
     * Gives the shopper a unit of the coupon for its store (a grant): a claim in all but its event
     * ({@code COUPON_GRANTED}), through the same gate, limits, writer and key handling, so grants and claims racing
     * for the last units stay exact.
     */
    IssuedCouponResponse grant(long userId, long couponId, String idempotencyKey) {
        return claimOrGrant(userId, couponId, idempotencyKey, true);
    }

    private IssuedCouponResponse claimOrGrant(long userId, long couponId, String idempotencyKey, boolean granted) {
        long deadline = System.nanoTime() + properties.writeTimeout().toNanos();
        try {
            return claim(userId, couponId, idempotencyKey, deadline, granted);
        } catch (RecoverableDataAccessException | TransientDataAccessResourceException e) {
            // a read of the claim path met a lost or refused connection (the writer answers its own failures)
            log.info("Claim of coupon {} could not reach MySQL: {}", couponId, e.toString());
            throw unavailable();
        }
    }

    private IssuedCouponResponse claim(long userId, long couponId, String idempotencyKey, long deadline,
                                       boolean granted) {
        if (idempotencyKey == null) {
            return granted ? issue(userId, couponId, null, deadline, true)
                    : claimTimer.record(() -> issue(userId, couponId, null, deadline, false));
        }
        Optional<IssuedCouponResponse> earlier = readTx.execute(status ->
                issued.findByIdempotencyKey(userId, idempotencyKey).map(found -> IssuedCouponResponse.of(found, now())));
        if (earlier.isPresent()) {
            return ofCoupon(earlier.get(), couponId);
        }
        long waitUntil = System.nanoTime() + properties.rebuildWait().toNanos() * 2;
        while (!idempotency.begin(userId, idempotencyKey, couponId)) {
            IdempotencyStore.State state = idempotency.state(userId, idempotencyKey);
            if (state instanceof IdempotencyStore.Answered answered) {
                return replay(answered.answer(), couponId);
            }
            if (state instanceof IdempotencyStore.Pending pending && pending.couponId() != null
                    && pending.couponId() != couponId) {
                // the first request, for another coupon, is still running: whatever it answers, the key is its own
                throw keyReused();
            }
            if (System.nanoTime() > waitUntil) {
                throw new ApiException(CouponProblem.CONCURRENT_MODIFICATION,
                        "A request with this Idempotency-Key is still being processed. Retry shortly.");
            }
            pause();
        }
        try {
            IssuedCouponResponse response = issue(userId, couponId, idempotencyKey, deadline, granted);
            idempotency.remember(userId, idempotencyKey,
                    new IdempotencyStore.Answer(201, response.id(), null, null, couponId));
            return response;
        } catch (ApiException e) {
            if (e.code().status().is4xxClientError() && e.code() != CouponProblem.IDEMPOTENCY_KEY_REUSED) {
                idempotency.remember(userId, idempotencyKey, new IdempotencyStore.Answer(e.code().status().value(),
                        null, e.code().name(), e.detail(), couponId));
            } else {
                // a 5xx is no answer (the client may retry); a key that MySQL found on another coupon's issue (Redis
                // had forgotten it) is that claim's, not this request's
                idempotency.forget(userId, idempotencyKey);
            }
            throw e;
        } catch (RuntimeException e) {
            idempotency.forget(userId, idempotencyKey);
            throw e;
        }
    }

    private IssuedCouponResponse replay(IdempotencyStore.Answer answer, long couponId) {
        if (answer.couponId() != null && answer.couponId() != couponId) {
            throw keyReused();
        }
        if (answer.issuedCouponId() != null) {
            return issueOfKey(answer.issuedCouponId(), couponId,
                    () -> new IllegalStateException("remembered issued coupon is gone"));
        }
        throw new ApiException(CouponProblem.named(answer.code()), answer.detail());
    }

    /**
     * The issued coupon an earlier request with the same key got, as it is now, when it is of this coupon;
     * {@code IDEMPOTENCY_KEY_REUSED} if not, {@code missing}'s exception when it cannot be read.
     */
    private IssuedCouponResponse issueOfKey(long issuedCouponId, long couponId,
                                            Supplier<? extends RuntimeException> missing) {
        return ofCoupon(readTx.execute(status -> issued.findWithCoupon(issuedCouponId)
                .map(found -> IssuedCouponResponse.of(found, now())).orElseThrow(missing)), couponId);
    }

    /** The earlier answer of the key when it was an issue of this coupon; {@code IDEMPOTENCY_KEY_REUSED} if not. */
    private static IssuedCouponResponse ofCoupon(IssuedCouponResponse earlier, long couponId) {
        if (earlier.couponId() != couponId) {
            throw keyReused();
        }
        return earlier;
    }

    private static ApiException keyReused() {
        return new ApiException(CouponProblem.IDEMPOTENCY_KEY_REUSED, "You already used this Idempotency-Key for "
                + "another coupon. Send a new key with each claim.");
    }

    /**
     * The claim itself, top to bottom: the coupon (a copy read at most {@code couponCacheTtl} ago), the rule on it, a
     * unit reserved in Redis, the issue written to MySQL, the reservation confirmed. When MySQL holds a key that Redis
     * handed out (Redis was behind), the reservation gives back what MySQL does not use and the claim tries again.
     */
    private IssuedCouponResponse issue(long userId, long couponId, String idempotencyKey, long deadline,
                                       boolean granted) {
        Instant now = now();
        Coupon coupon = recentCoupon(couponId);
        if (coupon == null) {
            throw new ApiException(CouponProblem.COUPON_NOT_FOUND, "There is no coupon with id " + couponId + ".");
        }
        // a closed window is final; the stock of a copy read earlier is not current, so the gate decides that
        Claimability.refusalOf(coupon, now).filter(refusal -> refusal == Refusal.WINDOW_CLOSED).ifPresent(refusal -> {
            throw refusal.answer();
        });
        long slotWaitUntil = 0;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; ) {
            Reservation reservation;
            try {
                reservation = gateTimer.record(() -> gate.reserve(couponId, userId, now));
            } catch (ApiException refused) {
                if (idempotencyKey != null && refused.code() == CouponProblem.DAILY_LIMIT_REACHED) {
                    // a copy of this request that took the day's last slot answers it; else the refusal stands
                    Long copy = writer.heldSlots(userId, couponId, idempotencyKey).issueWithKey();
                    if (copy != null) {
                        return issueOfKey(copy, couponId, () -> refused);
                    }
                }
                if (idempotencyKey == null || refused.code() != CouponProblem.CLAIM_LIMIT_REACHED) {
                    throw refused;
                }
                if (slotWaitUntil == 0) {
                    slotWaitUntil = System.nanoTime() + properties.rebuildWait().toNanos() * 2;
                }
                Optional<IssuedCouponResponse> copy = issueOfKeyHoldingASlot(userId, coupon, idempotencyKey, refused,
                        slotWaitUntil);
                if (copy.isPresent()) {
                    return copy.get();
                }
                pause();
                continue;
            }
            attempt++;
            try {
                IssuedCoupon unit = writer.write(coupon, reservation, idempotencyKey, now, deadline, granted);
                reservation.confirm();
                return IssuedCouponResponse.of(unit, now);
            } catch (NotIssuable e) {
                // MySQL refused the count (ended, or full although Redis found a unit: Redis was behind)
                TakenKeys taken = writer.takenKeys(coupon, reservation, null);
                reservation.releaseUnused(taken.unit(), taken.userSlot(), taken.daySlot());
                if (e.refusal() == Refusal.SOLD_OUT) {
                    gate.invalidate(reservation);
                }
                throw e.refusal().answer();
            } catch (KeyConflict e) {
                reservation.releaseUnused(e.taken().unit(), e.taken().userSlot(), e.taken().daySlot());
                if (e.taken().idempotencyKey() && idempotencyKey != null) {
                    // a duplicate of this request (or one on another coupon) committed first
                    return ofCoupon(readTx.execute(status -> issued.findByIdempotencyKey(userId, idempotencyKey)
                            .map(found -> IssuedCouponResponse.of(found, now())).orElseThrow(() -> e)), couponId);
                }
                log.info("Claim of coupon {} met {} already issued; retrying", couponId, reservation);
                if (e.taken().gateBehind()) {
                    gate.invalidate(reservation);
                }
            } catch (NotWritten e) {
                // known not to be in MySQL, now or later: the unit goes back
                reservation.release();
                if (!e.retryable() || System.nanoTime() - deadline >= 0) {
                    log.info("Claim of coupon {} was not written: {}", couponId, e.getMessage());
                    throw unavailable();
                }
                // a deadlock or lock wait: nothing was written; try again
                log.info("Claim of coupon {} met a lock conflict; retrying: {}", couponId, e.getMessage());
            } catch (RollbackPending e) {
                // never issued; the writer gives the unit back once MySQL confirms the rollback
                log.info("Claim of coupon {} was not written: its batch is being rolled back", couponId);
                throw unavailable();
            } catch (WriteOutcomeUnknown e) {
                // it may be in MySQL: its unit stays reserved, never given to someone else
                log.warn("Claim of coupon {}: whether it committed is unknown; {} stays reserved", couponId,
                        reservation);
                throw new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                        "The claim could not be confirmed. Check your coupons before claiming again.");
            } catch (RuntimeException e) {
                reservation.release();
                throw e;
            }
        }
        throw new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                "The claim could not be completed. Try again shortly.");
    }

    /**
     * A claim with a key was refused the shopper's last slot. Normally the shopper holds every slot in MySQL and the
     * refusal stands (one query). But when Redis lost the key's mark, copies of this very request got past it, and one
     * of them may hold a slot: its issue, once committed, is this request's answer. While slots are held by claims
     * still being written, the caller asks the gate again shortly (a slot given back may be this claim's to take).
     *
     * @throws ApiException the refusal, when the shopper's slots are all issued or the wait is over;
     *                      {@code IDEMPOTENCY_KEY_REUSED} when the key issued another coupon
     */
    private Optional<IssuedCouponResponse> issueOfKeyHoldingASlot(long userId, Coupon coupon, String idempotencyKey,
                                                                ApiException refused, long waitUntil) {
        ClaimWriter.HeldSlots held = writer.heldSlots(userId, coupon.id(), idempotencyKey);
        if (held.issueWithKey() != null) {
            return Optional.of(issueOfKey(held.issueWithKey(), coupon.id(), () -> refused));
        }
        if (held.ofCoupon() >= coupon.perUserLimit() || System.nanoTime() > waitUntil) {
            throw refused;
        }
        return Optional.empty();
    }

    /** This instance's claims read the coupon again: it was changed or ended. */
    void forget(long couponId) {
        recentCoupons.invalidate(couponId);
    }

    /** The coupon with its store, as read by this or another claim at most {@code couponCacheTtl} ago; or null. */
    private Coupon recentCoupon(long couponId) {
        Coupon coupon = recentCoupons.getIfPresent(couponId);
        if (coupon == null) {
            // read by each claim that misses, not once for all of them (Cache.get would make them wait for each
            // other: while MySQL is down they would retry the read one after another, each waiting out its time-outs)
            coupon = readTx.execute(status -> coupons.findWithStore(couponId).orElse(null));
            if (coupon != null) {
                recentCoupons.put(couponId, coupon);
            }
        }
        return coupon;
    }

    private static ApiException unavailable() {
        return new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                "Claims cannot be written right now. Nothing was issued; try again shortly.");
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE, "The claim was interrupted.");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
