package dev.couponhub.user.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import dev.couponhub.user.account.Role;
import dev.couponhub.user.config.JwtProperties;
import io.jsonwebtoken.Jwts;
import org.springframework.stereotype.Component;

/**
 * Signs access tokens: JWT, RS256, header {@code kid}; claims {@code iss}, {@code sub} (the user id), {@code role},
 * {@code sid} (the session: the refresh-token family the token came from), {@code iat}, {@code exp}, {@code jti}.
 */
@Component
class AccessTokenIssuer {

    static final String ROLE_CLAIM = "role";
    static final String SESSION_CLAIM = "sid";

    /** A signed token and its lifetime. */
    record AccessToken(String value, Duration ttl) {

        @Override
        public String toString() {
            return "AccessToken[ttl=" + ttl + "]";
        }
    }

    private final SigningKeys keys;
    private final String issuer;
    private final Duration ttl;

    AccessTokenIssuer(SigningKeys keys, JwtProperties properties) {
        this.keys = keys;
        this.issuer = properties.issuer();
        this.ttl = properties.accessTokenTtl();
    }

    AccessToken issue(long userId, Role role, String sessionId, Instant now) {
        Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
        String token = Jwts.builder()
                .header().keyId(keys.keyId()).and()
                .issuer(issuer)
                .subject(Long.toString(userId))
                .claim(ROLE_CLAIM, role.name())
                .claim(SESSION_CLAIM, sessionId)
                .issuedAt(Date.from(issuedAt))
                .expiration(Date.from(issuedAt.plus(ttl)))
                .id(UUID.randomUUID().toString())
                .signWith(keys.signingKey(), Jwts.SIG.RS256)
                .compact();
        return new AccessToken(token, ttl);
    }
}
