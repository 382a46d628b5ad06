package dev.couponhub.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.RsaPublicJwk;

/**
 * An RSA key pair with a key id, standing in for user-service's signing key: signs access tokens the
 * way user-service does and publishes its public half as a JWK.
 */
public final class TestSigningKey {

    public static final String ISSUER = "couponhub";

    private final String keyId;
    private final KeyPair keyPair;

    private TestSigningKey(String keyId, KeyPair keyPair) {
        this.keyId = keyId;
        this.keyPair = keyPair;
    }

    public static TestSigningKey generate(String keyId) {
        return new TestSigningKey(keyId, Jwts.SIG.RS256.keyPair().build());
    }

    /** The same key material published under another id. */
    public TestSigningKey withKeyId(String otherKeyId) {
        return new TestSigningKey(otherKeyId, keyPair);
    }

    public String keyId() {
        return keyId;
    }

    public RSAPublicKey publicKey() {
        return (RSAPublicKey) keyPair.getPublic();
    }

    /** The session id ({@code sid}) of the tokens made here for the user (unless a customizer changes it). */
    public static String sessionOf(long userId) {
        return "session-of-" + userId;
    }

    /** A valid access token for the user, expiring in 15 minutes. */
    public String token(long userId, String role) {
        return token(userId, role, UnaryOperator.identity());
    }

    /** An access token for the user after {@code customizer} changed its header or claims. */
    public String token(long userId, String role, UnaryOperator<JwtBuilder> customizer) {
        Instant now = Instant.now();
        JwtBuilder builder = Jwts.builder()
                .header().keyId(keyId).and()
                .issuer(ISSUER)
                .subject(Long.toString(userId))
                .claim("role", role)
                .claim("sid", sessionOf(userId))
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(Duration.ofMinutes(15))));
        return customizer.apply(builder).signWith(keyPair.getPrivate(), Jwts.SIG.RS256).compact();
    }

    /** A token otherwise valid but signed with RS512 instead of RS256. */
    public String rs512Token(long userId, String role) {
        Instant now = Instant.now();
        return Jwts.builder()
                .header().keyId(keyId).and()
                .issuer(ISSUER)
                .subject(Long.toString(userId))
                .claim("role", role)
                .claim("sid", sessionOf(userId))
                .expiration(Date.from(now.plus(Duration.ofMinutes(15))))
                .signWith(keyPair.getPrivate(), Jwts.SIG.RS512)
                .compact();
    }

    /** This key as a public JWK (JSON object). */
    public String publicJwk() {
        RsaPublicJwk jwk = Jwks.builder().key(publicKey()).id(keyId).publicKeyUse("sig").algorithm("RS256").build();
        return Jwks.json(jwk);
    }

    public static String jwks(TestSigningKey... keys) {
        return Arrays.stream(keys).map(TestSigningKey::publicJwk).collect(Collectors.joining(",", "{\"keys\":[", "]}"));
    }

    /** A compact JWS with the given raw header and payload JSON and an HMAC-SHA256 signature. */
    public static String hs256(String headerJson, String payloadJson, byte[] secret) {
        String signingInput = base64Url(headerJson) + "." + base64Url(payloadJson);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured JWT ({@code alg: none}, empty signature). */
    public static String unsecured(String headerJson, String payloadJson) {
        return base64Url(headerJson) + "." + base64Url(payloadJson) + ".";
    }

    /** Valid claims JSON for hand-built tokens. */
    public static String claimsJson(long userId, String role) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + userId + "\",\"role\":\"" + role + "\",\"sid\":\""
                + sessionOf(userId) + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 900) + "}";
    }

    public static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The token with its payload replaced (signature kept), as an attacker editing claims would. */
    public static String withPayload(String token, String payloadJson) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + base64Url(payloadJson) + "." + parts[2];
    }
}
