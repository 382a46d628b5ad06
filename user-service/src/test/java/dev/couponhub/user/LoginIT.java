package dev.couponhub.user;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;

class LoginIT extends UserServiceItSupport {

    private static final String PATH = "/api/v1/auth/login";

    @Test
    void loginThenTokensWithBearerTypeAndExpiry() {
        String email = uniqueEmail("login");
        signUpShopper(email);

        ApiClient.Response response = login(email, PASSWORD);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode tokens = response.json();
        assertThat(tokens.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expiresIn").asLong()).isEqualTo(900);
        assertThat(tokens.get("accessToken").asText()).isNotBlank();
        assertThat(tokens.get("refreshToken").asText()).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void loginThenAccessTokenVerifiesWithTheServedJwksAndCarriesTheClaims() throws Exception {
        String email = uniqueEmail("jwt");
        long id = signUpShopper(email);
        String accessToken = loggedIn(email, PASSWORD).get("accessToken").asText();

        ApiClient.Response jwksResponse = api.get("/.well-known/jwks.json");
        assertThat(jwksResponse.status()).isEqualTo(200);
        assertThat(jwksResponse.header("Cache-Control")).isEqualTo("max-age=300");
        JsonNode jwk = jwksResponse.json().get("keys").get(0);
        assertThat(jwk.has("d")).isFalse();

        Jws<Claims> jws = Jwts.parser().verifyWith(publicKey(jwk)).build().parseSignedClaims(accessToken);

        assertThat(jws.getHeader().getKeyId()).isEqualTo(jwk.get("kid").asText());
        assertThat(jws.getHeader().getAlgorithm()).isEqualTo("RS256");
        Claims claims = jws.getPayload();
        assertThat(claims.getIssuer()).isEqualTo("couponhub");
        assertThat(claims.getSubject()).isEqualTo(Long.toString(id));
        assertThat(claims.get("role", String.class)).isEqualTo("SHOPPER");
        assertThat(claims.get("sid", String.class)).matches("[A-Za-z0-9_-]{22}");
        assertThat(claims.getId()).isNotBlank();
        assertThat(Duration.between(claims.getIssuedAt().toInstant(), claims.getExpiration().toInstant()))
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(claims.getIssuedAt().toInstant()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    }

    @Test
    void refreshThenSameSessionAndAnotherLoginThenAnotherSession() {
        String email = uniqueEmail("sid");
        signUpShopper(email);
        JsonNode first = loggedIn(email, PASSWORD);
        ApiClient.Response refreshed = refresh(first.get("refreshToken").asText());
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        JsonNode second = loggedIn(email, PASSWORD);

        String session = sessionOf(first.get("accessToken").asText());

        assertThat(session).isNotBlank();
        assertThat(sessionOf(refreshed.json().get("accessToken").asText())).isEqualTo(session);
        assertThat(sessionOf(second.get("accessToken").asText())).isNotBlank().isNotEqualTo(session);
        String family = jdbc.queryForObject("select family_id from refresh_tokens where token_hash = ?", String.class,
                RefreshIT.sha256Hex(first.get("refreshToken").asText()));
        assertThat(session).isEqualTo(family);
    }

    @Test
    void loginWhenEmailInOtherCaseThenOk() {
        String email = uniqueEmail("mixed");
        signUpShopper(email);

        assertThat(login(" " + email.toUpperCase(), PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void loginWhenWrongPasswordThenUnauthorized() {
        String email = uniqueEmail("wrong");
        signUpShopper(email);

        assertProblem(login(email, "not-the-password"), 401, "BAD_CREDENTIALS", PATH);
    }

    @Test
    void loginWhenUnknownEmailThenUnauthorizedLikeAWrongPassword() {
        JsonNode unknown = assertProblem(login(uniqueEmail("nobody"), PASSWORD), 401, "BAD_CREDENTIALS", PATH);
        String email = uniqueEmail("known");
        signUpShopper(email);
        JsonNode wrong = assertProblem(login(email, "not-the-password"), 401, "BAD_CREDENTIALS", PATH);

        assertThat(unknown.get("detail")).isEqualTo(wrong.get("detail"));
    }

    @Test
    void loginWhenPasswordLongerThanBcryptAcceptsThenUnauthorized() {
        String email = uniqueEmail("long");
        signUpShopper(email);

        assertProblem(login(email, PASSWORD + "x".repeat(80)), 401, "BAD_CREDENTIALS", PATH);
    }

    @Test
    void loginWhenFieldsMissingThenValidationFailed() {
        JsonNode problem = assertProblem(api.post(PATH, Map.of()), 400, "VALIDATION_FAILED", PATH);

        assertThat(errorFields(problem)).containsExactlyInAnyOrder("email", "password");
    }

    @Test
    void loginAsConfiguredAdminThenRoleAdminInToken() throws Exception {
        String accessToken = loggedIn(ADMIN_EMAIL, ADMIN_PASSWORD).get("accessToken").asText();
        JsonNode jwk = api.get("/.well-known/jwks.json").json().get("keys").get(0);

        Claims claims = Jwts.parser().verifyWith(publicKey(jwk)).build().parseSignedClaims(accessToken).getPayload();

        assertThat(claims.get("role", String.class)).isEqualTo("ADMIN");
    }

    static RSAPublicKey publicKey(JsonNode jwk) throws Exception {
        BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("n").asText()));
        BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("e").asText()));
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }
}
