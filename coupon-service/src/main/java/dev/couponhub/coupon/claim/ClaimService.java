package dev.couponhub.coupon.claim;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

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
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims, first come first served. Redis ({@link ClaimGate}) decides who gets a unit; MySQL is the truth: the issue
 * is written by {@link ClaimWriter} (row, issued count, event; several claims per transaction with group commit) and
 * the 201 is answered only after that transaction committed. No lock is held across the network: the Redis
 * reservation is taken before the transaction and given back if the write fails.
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
        this.claimTimer = Timer.builder("couponhub.claims").description("Claims answered 201")
                .publishPercentiles(0.5, 0.95, 0.99).register(meters);
        this.recentCoupons = Caffeine.newBuilder().expireAfterWrite(properties.couponCacheTtl())
                .maximumSize(10_000).build();
    }

    /** Claims a unit of the coupon for the user; with a key, a repeat answers what the first request answered. */
    IssuedCouponResponse claim(long userId, long couponId, String idempotencyKey) {
        if (idempotencyKey == null) {
            return claimTimer.record(() -> issue(userId, couponId, null));
        }
        Optional<IssuedCouponResponse> earlier = readTx.execute(status ->
                issued.findByIdempotencyKey(userId, idempotencyKey).map(found -> IssuedCouponResponse.of(found, now())));
        if (earlier.isPresent()) {
            return earlier.get();
        }
        long waitUntil = System.nanoTime() + properties.rebuildWait().toNanos() * 2;
        while (!idempotency.begin(userId, idempotencyKey)) {
            Optional<IdempotencyStore.Answer> answer = idempotency.answer(userId, idempotencyKey);
            if (answer.isPresent()) {
                return replay(answer.get());
            }
            if (System.nanoTime() > waitUntil) {
                throw new ApiException(CouponProblem.CONCURRENT_MODIFICATION,
                        "A request with this Idempotency-Key is still being processed. Retry shortly.");
            }
            pause();
        }
        try {
            IssuedCouponResponse response = issue(userId, couponId, idempotencyKey);
            idempotency.remember(userId, idempotencyKey, new IdempotencyStore.Answer(201, response.id(), null, null));
            return response;
        } catch (ApiException e) {
            if (e.code().status().is4xxClientError()) {
                idempotency.remember(userId, idempotencyKey,
                        new IdempotencyStore.Answer(e.code().status().value(), null, e.code().name(), e.detail()));
            } else {
                idempotency.forget(userId, idempotencyKey);
            }
            throw e;
        } catch (RuntimeException e) {
            idempotency.forget(userId, idempotencyKey);
            throw e;
        }
    }

    private IssuedCouponResponse replay(IdempotencyStore.Answer answer) {
        if (answer.issuedCouponId() != null) {
            return readTx.execute(status -> issued.findWithCoupon(answer.issuedCouponId())
                    .map(found -> IssuedCouponResponse.of(found, now()))
                    .orElseThrow(() -> new IllegalStateException("remembered issued coupon is gone")));
        }
        throw new ApiException(CouponProblem.named(answer.code()), answer.detail());
    }

    private IssuedCouponResponse issue(long userId, long couponId, String idempotencyKey) {
        Instant now = now();
        Coupon coupon = recentCoupons.get(couponId, id -> readTx.execute(status ->
                coupons.findWithStore(id).orElse(null)));
        if (coupon == null) {
            throw new ApiException(CouponProblem.COUPON_NOT_FOUND, "There is no coupon with id " + couponId + ".");
        }
        if (!coupon.isClaimWindowOpen(now)) {
            throw windowClosed();
        }
        long rebuildDeadline = System.nanoTime() + properties.rebuildWait().toNanos();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; ) {
            ClaimGate.Reservation reservation = gate.reserve(couponId, userId, now);
            switch (reservation.outcome()) {
                case STATE_MISSING -> {
                    // the instance that wins the rebuild lock reads the coupon afresh from MySQL
                    if (!gate.rebuildIfMissing(couponId, () -> readTx.execute(status ->
                            coupons.findWithStore(couponId).orElse(null)))) {
                        if (System.nanoTime() > rebuildDeadline) {
                            throw new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                                    "Claims of this coupon are briefly unavailable. Try again shortly.");
                        }
                        pause();
                    }
                    continue;
                }
                case WINDOW_CLOSED -> throw windowClosed();
                case SOLD_OUT -> throw new ApiException(CouponProblem.SOLD_OUT, "Every unit of this coupon is claimed.");
                case LIMIT_REACHED -> throw new ApiException(CouponProblem.CLAIM_LIMIT_REACHED,
                        "You already hold as many units of this coupon as one shopper may claim.");
                case RESERVED -> {
                    // handled below
                }
            }
            attempt++;
            try {
                IssuedCoupon unit = writer.write(coupon, userId, reservation, idempotencyKey, now);
                gate.confirm(couponId, userId, reservation.seq(), reservation.userSeq(), reservation.generation());
                return IssuedCouponResponse.of(unit, now);
            } catch (NotIssuable e) {
                // ended, or full in MySQL although Redis found a unit: Redis was behind (rebuilt while claims were
                // in flight); give back only what MySQL does not use
                releaseUnused(couponId, userId, reservation);
                throw e.reason();
            } catch (DataIntegrityViolationException e) {
                String constraint = constraintOf(e);
                if (constraint.contains("uk_issued_coupons_seq") || constraint.contains("uk_issued_coupons_user_seq")) {
                    // Redis was behind MySQL (its state was rebuilt while claims were in flight). The database names
                    // only one of the keys it met: keep reserved what MySQL uses, give the rest back, try again.
                    log.info("Claim of coupon {} met unit {} or user slot {} already issued; retrying", couponId,
                            reservation.seq(), reservation.userSeq());
                    releaseUnused(couponId, userId, reservation);
                } else if (constraint.contains("uk_issued_coupons_idempotency") && idempotencyKey != null) {
                    gate.release(couponId, userId, reservation.seq(), reservation.userSeq(), reservation.generation());
                    return readTx.execute(status -> issued.findByIdempotencyKey(userId, idempotencyKey)
                            .map(found -> IssuedCouponResponse.of(found, now())).orElseThrow(() -> e));
                } else if (constraint.contains("uk_issued_coupons_code")) {
                    gate.release(couponId, userId, reservation.seq(), reservation.userSeq(), reservation.generation());
                } else {
                    gate.release(couponId, userId, reservation.seq(), reservation.userSeq(), reservation.generation());
                    throw e;
                }
            } catch (TransientDataAccessException e) {
                // a lock timeout or deadlock: nothing was written; give the unit back and try again
                gate.release(couponId, userId, reservation.seq(), reservation.userSeq(), reservation.generation());
                log.info("Claim of coupon {} met a transient database failure; retrying: {}", couponId, e.toString());
            } catch (RuntimeException e) {
                gate.release(couponId, userId, reservation.seq(), reservation.userSeq(), reservation.generation());
                throw e;
            }
        }
        throw new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                "The claim could not be completed. Try again shortly.");
    }

    /** Gives back the parts of a reservation that no issued row in MySQL uses. */
    private void releaseUnused(long couponId, long userId, ClaimGate.Reservation reservation) {
        boolean seqUsed = Boolean.TRUE.equals(readTx.execute(status ->
                issued.countSeq(couponId, reservation.seq()) > 0));
        boolean userSeqUsed = Boolean.TRUE.equals(readTx.execute(status ->
                issued.countUserSeq(couponId, userId, reservation.userSeq()) > 0));
        gate.release(couponId, userId, seqUsed ? 0 : reservation.seq(), userSeqUsed ? 0 : reservation.userSeq(),
                reservation.generation());
    }

    private static ApiException windowClosed() {
        return new ApiException(CouponProblem.CLAIM_WINDOW_CLOSED, "This coupon cannot be claimed now.");
    }

    private static String constraintOf(DataIntegrityViolationException e) {
        Throwable cause = e.getMostSpecificCause();
        return cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
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
