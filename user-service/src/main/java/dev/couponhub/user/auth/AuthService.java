package dev.couponhub.user.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.user.account.Account;
import dev.couponhub.user.account.AccountEvents;
import dev.couponhub.user.account.AccountService;
import dev.couponhub.user.account.Role;
import dev.couponhub.user.config.RefreshTokenProperties;
import dev.couponhub.user.web.UserProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sessions: login, refresh-token rotation with reuse detection, logout, and ending every session of an account when
 * its password changes or it is closed.
 */
@Service
class AuthService {

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);
    /** Attempts of a transaction that ends sessions, which InnoDB may pick as a deadlock victim (see {@link #retried}). */
    static final int MAX_ATTEMPTS = 5;

    private final AccountService accounts;
    private final AccessTokenIssuer accessTokens;
    private final LoginThrottle throttle;
    private final RefreshTokenRepository refreshTokens;
    private final SessionRevocations sessions;
    private final RefreshTokenCodec codec;
    private final RefreshTokenProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    AuthService(AccountService accounts, AccessTokenIssuer accessTokens, LoginThrottle throttle,
                RefreshTokenRepository refreshTokens, SessionRevocations sessions, RefreshTokenCodec codec, RefreshTokenProperties properties,
                TransactionTemplate transactions, Clock clock) {
        this.accounts = accounts;
        this.accessTokens = accessTokens;
        this.throttle = throttle;
        this.refreshTokens = refreshTokens;
        this.sessions = sessions;
        this.codec = codec;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Starts a new session (a new token family).
     *
     * @param email normalized (trimmed, lower case) as accounts store it
     * @throws ApiException {@code BAD_CREDENTIALS} for an unknown email, a wrong password or a closed account;
     *                      {@code LOGIN_THROTTLED} ({@link LoginThrottle.LoginThrottledException}) after too many
     *                      failures for the email, without checking the password
     */
    TokensResponse login(String email, String password) {
        throttle.admit(email);
        Account account = accounts.authenticate(email, password).orElseThrow(() ->
                new ApiException(UserProblem.BAD_CREDENTIALS, "The email or password is not correct."));
        throttle.succeeded(email);
        return transactions.execute(status -> issue(account.id(), account.role(), codec.newFamilyId(), now()));
    }

    /**
     * Exchanges a refresh token for new tokens; the presented one stops working. Presenting a token that was already
     * exchanged revokes its whole family (every token descending from the same login), and so does losing a race
     * with a concurrent refresh of the same token.
     *
     * @throws ApiException {@code INVALID_REFRESH_TOKEN} for an unknown, expired, revoked or already used token, or
     *                      when the account is closed
     */
    TokensResponse refresh(String presented) {
        // The transaction commits also when the token is refused, so that a family revoked on reuse stays revoked.
        TokensResponse tokens = retried(() -> transactions.execute(status -> rotate(presented)));
        if (tokens == null) {
            throw new ApiException(UserProblem.INVALID_REFRESH_TOKEN, "The refresh token is not valid. Log in again.");
        }
        return tokens;
    }

    /**
     * Ends the session the token belongs to (its whole family) and records it for the gateways. Unknown tokens and
     * sessions that already ended are ignored.
     */
    void logout(String presented) {
        Instant now = now();
        retried(() -> transactions.execute(status -> refreshTokens.findByTokenHash(RefreshTokenCodec.hash(presented))
                .map(token -> sessions.endSession(token.familyId(), token.userId(), now))
                .orElse(false)));
    }

    /** Runs in the transaction that changes the password: every open session of the account ends. */
    @EventListener
    void onPasswordChanged(AccountEvents.PasswordChanged event) {
        sessions.endAllSessionsOf(event.accountId(), event.at());
    }

    /** Runs in the transaction that closes the account: every open session of the account ends. */
    @EventListener
    void onAccountClosed(AccountEvents.AccountClosed event) {
        sessions.endAllSessionsOf(event.accountId(), event.at());
    }

    /** Deletes tokens that expired more than {@code purge-after} ago; they can no longer be used anyway. */
    @Scheduled(initialDelayString = "${couponhub.refresh-token.purge-interval:1h}",
            fixedDelayString = "${couponhub.refresh-token.purge-interval:1h}")
    void purgeExpired() {
        int deleted = refreshTokens.deleteExpiredBefore(now().minus(properties.purgeAfter()));
        if (deleted > 0) {
            log.info("Purged {} expired refresh tokens", deleted);
        }
    }

    /** @return the new tokens, or null when the presented token must be refused */
    private TokensResponse rotate(String presented) {
        Optional<RefreshToken> found = refreshTokens.findByTokenHash(RefreshTokenCodec.hash(presented));
        if (found.isEmpty()) {
            return null;
        }
        RefreshToken token = found.get();
        Instant now = now();
        if (token.isRevoked()) {
            return null;
        }
        if (token.isRotated()) {
            boolean ended = sessions.endSession(token.familyId(), token.userId(), now);
            log.warn("Reuse of a rotated refresh token of user {}: {}", token.userId(),
                    ended ? "revoked its token family" : "its token family was already revoked");
            return null;
        }
        if (token.isExpired(now)) {
            return null;
        }
        Optional<Account> account = accounts.findOpen(token.userId());
        if (account.isEmpty()) {
            return null;
        }
        // Conditional update: of concurrent refreshes with the same token only one gets 1 here. The others lost a race
        // for a token that someone else has just used: that is reuse like presenting it later, so the session ends
        // (the winner's new token included).
        if (refreshTokens.markRotated(token.id(), now) != 1) {
            boolean ended = sessions.endSession(token.familyId(), token.userId(), now);
            log.warn("Concurrent refreshes with one refresh token of user {}: {}", token.userId(),
                    ended ? "revoked its token family" : "its token family was already revoked");
            return null;
        }
        return issue(token.userId(), account.get().role(), token.familyId(), now);
    }

    /**
     * Runs a transaction again when InnoDB chose it as the victim of a deadlock (or it waited too long for a lock).
     * Transactions that revoke one family can deadlock: a refresh that lost the race for its token holds that token's
     * row and then locks the family through its index, while another revocation of the family (a second loser, a
     * reuse, a logout) holds the index entries and waits for that row. The victim is rolled back entirely; run again,
     * it finds the token rotated or the family revoked and answers accordingly.
     */
    private static <T> T retried(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (PessimisticLockingFailureException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                log.info("Lock conflict while ending a session (attempt {} of {}), trying again: {}", attempt,
                        MAX_ATTEMPTS, e.getMostSpecificCause().getMessage());
            }
        }
    }

    private TokensResponse issue(long userId, Role role, String familyId, Instant now) {
        String refreshToken = codec.newToken();
        refreshTokens.save(RefreshToken.issue(userId, familyId, RefreshTokenCodec.hash(refreshToken), now,
                properties.ttl()));
        AccessTokenIssuer.AccessToken accessToken = accessTokens.issue(userId, role, familyId, now);
        return new TokensResponse(accessToken.value(), refreshToken, TokensResponse.BEARER,
                seconds(accessToken.ttl()));
    }

    private static long seconds(Duration duration) {
        return duration.toSeconds();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
