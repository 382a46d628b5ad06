package dev.couponhub.user.account;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import dev.couponhub.user.web.UserProblem;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accounts: sign-up, credentials, profile, closing. Password hashing (BCrypt, deliberately slow) always runs outside
 * database transactions so that it never holds a connection.
 */
@Service
public class AccountService {

    /** BCrypt reads at most 72 bytes of a password. */
    static final int MAX_PASSWORD_BYTES = 72;
    private static final String TOO_LONG_STAND_IN = "password-longer-than-72-bytes";

    private final AccountRepository accounts;
    private final PasswordEncoder passwordEncoder;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    /** Checked against when the email is unknown, so that unknown and known emails take the same time. */
    private final String dummyHash;

    AccountService(AccountRepository accounts, PasswordEncoder passwordEncoder, ApplicationEventPublisher events,
                   TransactionTemplate transactions, Clock clock) {
        this.accounts = accounts;
        this.passwordEncoder = passwordEncoder;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.dummyHash = passwordEncoder.encode(HexFormat.of().formatHex(random));
    }

    /**
     * Creates an open account.
     *
     * @throws ApiException {@code EMAIL_TAKEN} when an open account already has the email, also when another
     *                      sign-up for it wins a race
     */
    Account signUp(String email, String password, String name, Role role) {
        if (accounts.existsByActiveEmail(email)) {
            throw emailTaken();
        }
        String hash = passwordEncoder.encode(password);
        try {
            return accounts.saveAndFlush(Account.open(email, name, role, hash, now()));
        } catch (DataIntegrityViolationException e) {
            if (accounts.existsByActiveEmail(email)) {
                throw emailTaken();
            }
            throw e;
        }
    }

    /**
     * The open account with these credentials. Takes the same time whether the email is unknown, belongs to a
     * closed account or the password is wrong.
     */
    public Optional<Account> authenticate(String email, String password) {
        Optional<Account> account = accounts.findByActiveEmail(email);
        boolean matches = passwordMatches(password, account.map(Account::passwordHash).orElse(dummyHash));
        return matches ? account : Optional.empty();
    }

    /** The open account with this id. */
    public Optional<Account> findOpen(long id) {
        return accounts.findByIdAndClosedAtIsNull(id);
    }

    /** The caller's open account; 401 {@code UNAUTHORIZED} when it is unknown or closed. */
    Account signedIn(long id) {
        return findOpen(id).orElseThrow(AccountService::unauthorized);
    }

    Account rename(long id, String name) {
        return transactions.execute(status -> {
            Account account = signedIn(id);
            account.rename(name, now());
            return account;
        });
    }

    /**
     * Changes the password and ends every session (refresh token) of the account.
     *
     * @throws ApiException {@code WRONG_PASSWORD} when {@code currentPassword} is not the account's password
     */
    void changePassword(long id, String currentPassword, String newPassword) {
        Account account = signedIn(id);
        if (!passwordMatches(currentPassword, account.passwordHash())) {
            throw new ApiException(UserProblem.WRONG_PASSWORD, "The current password is not correct.");
        }
        String newHash = passwordEncoder.encode(newPassword);
        transactions.executeWithoutResult(status -> {
            Instant now = now();
            signedIn(id).changePasswordHash(newHash, now);
            events.publishEvent(new AccountEvents.PasswordChanged(id, now));
        });
    }

    /** Closes the account, frees its email and ends every session. */
    void close(long id) {
        transactions.executeWithoutResult(status -> {
            Instant now = now();
            signedIn(id).close(now);
            events.publishEvent(new AccountEvents.AccountClosed(id, now));
        });
    }

    /**
     * Creates the ADMIN account unless an open account already has the email (then it is left as it is).
     * Safe when several instances start together.
     *
     * @return the existing or created account
     */
    Account ensureAdmin(String email, String name, String password) {
        Optional<Account> existing = accounts.findByActiveEmail(email);
        if (existing.isPresent()) {
            return existing.get();
        }
        String hash = passwordEncoder.encode(password);
        try {
            return accounts.saveAndFlush(Account.open(email, name, Role.ADMIN, hash, now()));
        } catch (DataIntegrityViolationException raced) {
            return accounts.findByActiveEmail(email).orElseThrow(() -> raced);
        }
    }

    private boolean passwordMatches(String password, String hash) {
        if (password == null) {
            return false;
        }
        // No stored password is longer than BCrypt's 72 bytes; a longer one is checked as a stand-in anyway, so that
        // the answer takes as long as any other wrong password.
        boolean fits = password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
        try {
            return passwordEncoder.matches(fits ? password : TOO_LONG_STAND_IN, hash) && fits;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static ApiException emailTaken() {
        return new ApiException(UserProblem.EMAIL_TAKEN, "An account with this email already exists.");
    }

    static ApiException unauthorized() {
        return new ApiException(StandardProblem.UNAUTHORIZED, "Sign in to use this endpoint.");
    }
}
