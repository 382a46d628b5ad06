package dev.couponhub.coupon.claim;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.couponhub.coupon.config.ClaimProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.issued.IssuedCouponResponse;
import dev.couponhub.coupon.user.UserDirectory;
import dev.couponhub.coupon.web.CouponProblem;
import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.Role;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Grants: a store gives shoppers a unit each. Each user's unit is a claim made for them ({@link ClaimService#grant}):
 * the same gate, stock, per-user and daily limits and writer, so grants and shoppers' claims racing for the last units
 * stay exact; its event is {@code COUPON_GRANTED}. The users of one grant are claimed for by {@code grant-parallelism}
 * threads at once (their writes share the writer's batches).
 *
 * <p>With an {@code Idempotency-Key}, each user's unit carries a key derived from the coupon and the request's key
 * ({@link #userKey}); a repeat of the request answers each user what the first request answered them and issues
 * nothing new, even after a failure halfway through. The derived key starts with a character no HTTP header can carry
 * (header values are ISO-8859-1), so it never meets a shopper's own key.
 */
@Service
class GrantService {

    /** Derived keys start with this; {@link ClaimController} refuses shopper keys that do (they cannot arrive). */
    static final String USER_KEY_PREFIX = "\u2192grant:";

    private static final Logger log = LoggerFactory.getLogger(GrantService.class);

    private final CouponRepository coupons;
    private final ClaimService claims;
    private final UserDirectory users;
    private final TransactionTemplate readTx;
    private final Clock clock;
    private final ExecutorService workers;

    GrantService(CouponRepository coupons, ClaimService claims, UserDirectory users,
                 PlatformTransactionManager transactionManager, ClaimProperties properties, Clock clock) {
        this.coupons = coupons;
        this.claims = claims;
        this.users = users;
        this.readTx = new TransactionTemplate(transactionManager);
        this.readTx.setReadOnly(true);
        this.clock = clock;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("grant-");
        threads.setDaemon(true);
        this.workers = Executors.newFixedThreadPool(properties.grantParallelism(), threads);
    }

    /**
     * Gives each of the users a unit of the coupon, answering per user.
     *
     * @throws ApiException {@code COUPON_NOT_FOUND}, {@code NOT_STORE_OWNER}, {@code CLAIM_WINDOW_CLOSED} (nothing
     *                      granted), {@code DEPENDENCY_UNAVAILABLE} when the accounts cannot be looked up
     */
    Grants.Response grant(Caller caller, long couponId, List<Long> userIds, String idempotencyKey) {
        Coupon coupon = readTx.execute(status -> coupons.findWithStore(couponId)).orElseThrow(() ->
                new ApiException(CouponProblem.COUPON_NOT_FOUND, "There is no coupon with id " + couponId + "."));
        if (!coupon.isActedForBy(caller)) {
            throw new ApiException(CouponProblem.NOT_STORE_OWNER,
                    "Only the owner of the coupon's store (or its API keys) may grant its coupons.");
        }
        Instant now = clock.instant();
        Claimability.refusalOf(coupon, now).filter(refusal -> refusal == Refusal.WINDOW_CLOSED).ifPresent(refusal -> {
            throw refusal.answer();
        });
        List<Long> distinct = List.copyOf(new LinkedHashSet<>(userIds));
        Map<Long, UserDirectory.Kind> kinds = users.kinds(distinct);
        String userKey = idempotencyKey == null ? null : userKey(couponId, idempotencyKey);

        List<CompletableFuture<Object>> outcomes = new ArrayList<>(distinct.size());
        for (long userId : distinct) {
            UserDirectory.Kind kind = kinds.get(userId);
            if (kind == null) {
                outcomes.add(CompletableFuture.completedFuture(new Grants.Refused(userId, "USER_NOT_FOUND")));
            } else if (kind != UserDirectory.Kind.SHOPPER) {
                outcomes.add(CompletableFuture.completedFuture(new Grants.Refused(userId, "NOT_A_SHOPPER")));
            } else {
                outcomes.add(CompletableFuture.supplyAsync(() -> grantOne(userId, couponId, userKey), workers));
            }
        }
        List<Grants.Granted> issued = new ArrayList<>();
        List<Grants.Refused> refused = new ArrayList<>();
        for (CompletableFuture<Object> outcome : outcomes) {
            Object answer = outcome.join();
            if (answer instanceof Grants.Granted granted) {
                issued.add(granted);
            } else {
                refused.add((Grants.Refused) answer);
            }
        }
        log.info("Grant of coupon {} by {}: {} issued, {} refused", couponId,
                caller.is(Role.PARTNER) ? "API key " + caller.keyId() : "owner " + caller.userId(), issued.size(),
                refused.size());
        return new Grants.Response(issued, refused);
    }

    private Object grantOne(long userId, long couponId, String userKey) {
        try {
            IssuedCouponResponse unit = claims.grant(userId, couponId, userKey);
            return new Grants.Granted(userId, unit.id(), unit.code());
        } catch (ApiException refused) {
            return new Grants.Refused(userId, refused.code().name());
        } catch (RuntimeException e) {
            log.error("Grant of coupon {} to user {} failed", couponId, userId, e);
            return new Grants.Refused(userId, StandardProblem.INTERNAL_ERROR.name());
        }
    }

    /** The key of one user's unit of a grant with the request's key: the coupon's and the request's, marked. */
    static String userKey(long couponId, String idempotencyKey) {
        return USER_KEY_PREFIX + couponId + ":" + idempotencyKey;
    }

    @PreDestroy
    void stop() {
        workers.shutdown();
    }
}
