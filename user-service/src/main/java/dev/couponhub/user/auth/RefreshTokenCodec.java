package dev.couponhub.user.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.springframework.stereotype.Component;

/**
 * Refresh-token values: 32 random bytes, base64url without padding (43 characters). Only their SHA-256 hex digest
 * is stored. Token families get 16 random bytes, base64url (22 characters).
 */
@Component
class RefreshTokenCodec {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    String newToken() {
        return randomBase64Url(32);
    }

    String newFamilyId() {
        return randomBase64Url(16);
    }

    /** Lower-case hex SHA-256 of the token's UTF-8 bytes (64 characters). */
    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomBase64Url(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return BASE64URL.encodeToString(value);
    }
}
