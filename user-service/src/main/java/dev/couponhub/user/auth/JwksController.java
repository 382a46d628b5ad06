package dev.couponhub.user.auth;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public keys that verify access tokens (RFC 7517 JWK Set), for the gateway. Served on the service port only;
 * it is outside {@code /api}, so the gateway does not route it to the public.
 */
@Hidden
@RestController
class JwksController {

    static final String PATH = "/.well-known/jwks.json";

    private final Map<String, Object> jwks;

    JwksController(SigningKeys keys) {
        this.jwks = jwkSet(keys.published());
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofSeconds(300))).body(jwks);
    }

    static Map<String, Object> jwkSet(List<SigningKeys.VerificationKey> keys) {
        List<Map<String, String>> jwkList = keys.stream().map(JwksController::jwk).toList();
        return Map.of("keys", jwkList);
    }

    private static Map<String, String> jwk(SigningKeys.VerificationKey key) {
        Map<String, String> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("kid", key.keyId());
        jwk.put("n", base64Url(key.publicKey().getModulus()));
        jwk.put("e", base64Url(key.publicKey().getPublicExponent()));
        return Collections.unmodifiableMap(jwk);
    }

    /** Unsigned big-endian bytes, base64url without padding (RFC 7518 section 6.3.1). */
    static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
