package dev.couponhub.gateway.auth;

import java.security.Key;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Header;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.UnsupportedJwtException;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.couponhub.gateway.config.JwtProperties;

/**
 * Verifies access tokens: compact JWS, {@code alg} RS256 only, {@code kid} naming a key of user-service's
 * key set, valid signature, the configured issuer, an {@code exp} in the future (with clock skew), a
 * positive numeric {@code sub}, a known {@code role} and a session id ({@code sid}); a token of a session that ended is
 * {@link TokenVerification.Revoked} ({@link SessionRevocations}). Verification is CPU work only; the only I/O, a
 * key set download for an unknown {@code kid}, is non-blocking.
 *
 * <p>An RS256 check costs tens of microseconds of CPU, paid on every request of a client that sends the same token
 * for minutes. Tokens found valid are therefore remembered (the whole token string is the key, so any change to it is
 * a miss) for {@code verifiedCacheTtl}; a remembered token is still refused from its {@code exp} on, once the key that
 * signed it left the key set, and once its session is revoked (checked on every request, not remembered).
 */
@Component
class JwtVerifier {

    static final String ALGORITHM = "RS256";

    static final int MAX_SESSION_ID_LENGTH = 100;

    private final JwksKeyCache keys;
    private final SessionRevocations revocations;
    private final JwtParser parser;
    private final Clock clock;
    private final Cache<String, Verified> verified;

    /** A token found valid, until when it is, and the key that signed it. */
    private record Verified(TokenVerification.Valid result, Instant expiresAt, String keyId, PublicKey key) {
    }

    JwtVerifier(JwksKeyCache keys, SessionRevocations revocations, JwtProperties properties, Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.parser = Jwts.parser()
                .keyLocator(this::locateKey)
                .requireIssuer(properties.issuer())
                .clockSkewSeconds(properties.clockSkew().toSeconds())
                .clock(() -> Date.from(clock.instant()))
                .build();
        this.clock = clock;
        this.verified = properties.verifiedCacheTtl().isZero() ? null : Caffeine.newBuilder()
                .expireAfterWrite(properties.verifiedCacheTtl())
                .maximumSize(properties.verifiedCacheSize())
                .build();
    }

    /**
     * The outcome for a token verified before and still remembered (valid, or revoked since), without a signature
     * check; null when the token must be verified ({@link #verify(String)}).
     */
    TokenVerification remembered(String token) {
        if (verified != null) {
            Verified known = verified.getIfPresent(token);
            if (known != null && clock.instant().isBefore(known.expiresAt()) && keys.find(known.keyId()) == known.key()) {
                return unlessRevoked(known.result());
            }
        }
        return null;
    }

    Mono<TokenVerification> verify(String token) {
        TokenVerification remembered = remembered(token);
        if (remembered != null) {
            return Mono.just(remembered);
        }
        try {
            return Mono.just(unlessRevoked(attempt(token)));
        }
        catch (UnknownSigningKeyException unknown) {
            return keys.refresh().then(Mono.fromSupplier(() -> {
                try {
                    return unlessRevoked(attempt(token));
                }
                catch (UnknownSigningKeyException stillUnknown) {
                    return keys.isEmpty()
                            ? new TokenVerification.KeysUnavailable()
                            : new TokenVerification.Invalid(false, "unknown key id");
                }
            }));
        }
    }

    private TokenVerification unlessRevoked(TokenVerification result) {
        if (result instanceof TokenVerification.Valid valid && revocations.isRevoked(valid.identity().sessionId())) {
            return new TokenVerification.Revoked();
        }
        return result;
    }

    private TokenVerification attempt(String token) {
        Claims claims;
        String keyId;
        try {
            Jws<Claims> jws = parser.parseSignedClaims(token);
            claims = jws.getPayload();
            keyId = jws.getHeader().getKeyId();
        }
        catch (UnknownSigningKeyException e) {
            throw e;
        }
        catch (ExpiredJwtException e) {
            return new TokenVerification.Invalid(true, "expired");
        }
        catch (RuntimeException e) {
            // JwtException and its kin, IllegalArgumentException for empty input, ...: all mean "not valid"
            return new TokenVerification.Invalid(false, e.getClass().getSimpleName());
        }
        TokenVerification result = identityOf(claims);
        if (verified != null && result instanceof TokenVerification.Valid valid) {
            verified.put(token, new Verified(valid, claims.getExpiration().toInstant(), keyId, keys.find(keyId)));
        }
        return result;
    }

    private static TokenVerification identityOf(Claims claims) {
        if (claims.getExpiration() == null) {
            return new TokenVerification.Invalid(false, "no exp claim");
        }
        String subject = claims.getSubject();
        Object role = claims.get("role");
        Object sessionId = claims.get("sid");
        long userId;
        try {
            userId = Long.parseLong(subject);
        }
        catch (NumberFormatException e) {
            return new TokenVerification.Invalid(false, "sub is not a user id");
        }
        if (userId <= 0 || !(role instanceof String roleName) || !CallerIdentity.ROLES.contains(roleName)) {
            return new TokenVerification.Invalid(false, "bad sub or role claim");
        }
        if (!(sessionId instanceof String sid) || sid.isBlank() || sid.length() > MAX_SESSION_ID_LENGTH) {
            return new TokenVerification.Invalid(false, "no sid claim");
        }
        return new TokenVerification.Valid(new CallerIdentity(userId, roleName, sid));
    }

    private Key locateKey(Header header) {
        if (!(header instanceof JwsHeader jwsHeader)) {
            throw new UnsupportedJwtException("Only signed tokens are accepted");
        }
        if (!ALGORITHM.equals(jwsHeader.getAlgorithm())) {
            throw new UnsupportedJwtException("Only RS256 is accepted");
        }
        String keyId = jwsHeader.getKeyId();
        if (keyId == null || keyId.isBlank()) {
            throw new UnsupportedJwtException("The kid header is required");
        }
        PublicKey key = keys.find(keyId);
        if (key == null) {
            throw new UnknownSigningKeyException();
        }
        return key;
    }

    /** The token names a key id that is not (yet) in the cached key set. */
    private static final class UnknownSigningKeyException extends JwtException {

        UnknownSigningKeyException() {
            super("unknown signing key id");
        }
    }
}
