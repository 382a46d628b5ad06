package dev.couponhub.user.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import dev.couponhub.user.account.Role;
import dev.couponhub.user.config.JwtProperties;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SignatureException;
import org.junit.jupiter.api.Test;

class AccessTokenIssuerTests {

    private static final Instant NOW = Instant.parse("2026-11-21T09:00:00.123456Z");

    private final SigningKeys keys = new SigningKeys(TestKeys.currentPrivate(), List.of());

    private AccessTokenIssuer issuer(String iss, Duration ttl) {
        return new AccessTokenIssuer(keys, new JwtProperties(iss, ttl, null, null, false, List.of()));
    }

    private Jws<Claims> verify(String token, RSAPublicKey key) {
        return Jwts.parser().verifyWith(key).clock(() -> Date.from(NOW)).build().parseSignedClaims(token);
    }

    @Test
    void issueThenTokenIsSignedWithRs256AndCarriesTheKid() {
        String token = issuer("couponhub", Duration.ofMinutes(15)).issue(42, Role.OWNER, "family-1", NOW).value();

        Jws<Claims> jws = verify(token, (RSAPublicKey) TestKeys.CURRENT.getPublic());

        assertThat(jws.getHeader().getAlgorithm()).isEqualTo("RS256");
        assertThat(jws.getHeader().getKeyId()).isEqualTo(keys.keyId()).isEqualTo(rfc7638Thumbprint(
                (RSAPublicKey) TestKeys.CURRENT.getPublic()));
    }

    @Test
    void issueThenClaimsHoldIssuerSubjectRoleSessionTimesAndId() {
        AccessTokenIssuer.AccessToken token = issuer("couponhub-test", Duration.ofMinutes(15)).issue(42, Role.OWNER, "family-1", NOW);

        Claims claims = verify(token.value(), (RSAPublicKey) TestKeys.CURRENT.getPublic()).getPayload();

        assertThat(claims.getIssuer()).isEqualTo("couponhub-test");
        assertThat(claims.getSubject()).isEqualTo("42");
        assertThat(claims.get("role", String.class)).isEqualTo("OWNER");
        assertThat(claims.get("sid", String.class)).isEqualTo("family-1");
        assertThat(claims.getIssuedAt().toInstant()).isEqualTo(Instant.parse("2026-11-21T09:00:00Z"));
        assertThat(claims.getExpiration().toInstant()).isEqualTo(Instant.parse("2026-11-21T09:15:00Z"));
        assertThat(claims.getId()).isNotBlank();
        assertThat(token.ttl()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void issueTwiceThenEachTokenHasItsOwnId() {
        AccessTokenIssuer issuer = issuer("couponhub", Duration.ofMinutes(15));
        RSAPublicKey key = (RSAPublicKey) TestKeys.CURRENT.getPublic();

        String first = verify(issuer.issue(1, Role.SHOPPER, "family-1", NOW).value(), key).getPayload().getId();
        String second = verify(issuer.issue(1, Role.SHOPPER, "family-1", NOW).value(), key).getPayload().getId();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void issueWithConfiguredTtlThenExpiryFollowsIt() {
        String token = issuer("couponhub", Duration.ofMinutes(5)).issue(7, Role.ADMIN, "family-1", NOW).value();

        Claims claims = verify(token, (RSAPublicKey) TestKeys.CURRENT.getPublic()).getPayload();

        assertThat(Duration.between(claims.getIssuedAt().toInstant(), claims.getExpiration().toInstant()))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void verifyWithAnotherKeyThenSignatureIsRejected() {
        String token = issuer("couponhub", Duration.ofMinutes(15)).issue(42, Role.OWNER, "family-1", NOW).value();

        assertThatThrownBy(() -> verify(token, (RSAPublicKey) TestKeys.PREVIOUS.getPublic()))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void accessTokenToStringThenTokenValueIsNotPrinted() {
        AccessTokenIssuer.AccessToken token = issuer("couponhub", Duration.ofMinutes(15)).issue(42, Role.OWNER, "family-1", NOW);

        assertThat(token.toString()).doesNotContain(token.value());
    }

    /** RFC 7638, computed independently of jjwt. */
    static String rfc7638Thumbprint(RSAPublicKey key) {
        String json = "{\"e\":\"" + unsigned(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\""
                + unsigned(key.getModulus()) + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
