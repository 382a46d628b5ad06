package dev.couponhub.user.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access-token signing.
 *
 * @param issuer                  the {@code iss} claim
 * @param accessTokenTtl          lifetime of an access token
 * @param privateKey              the RS256 signing key, PEM PKCS#8 ({@code COUPONHUB_JWT_PRIVATE_KEY}); wins over the file
 * @param privateKeyFile          a file holding the PEM PKCS#8 signing key
 * @param generateKeyFileIfAbsent create a 2048-bit key in {@code privateKeyFile} (mode 600) when it does not exist
 * @param previousPublicKeys      PEM public keys of earlier signing keys, still published in the JWKS so that
 *                                tokens signed before a key rotation stay valid until they expire
 */
@ConfigurationProperties("couponhub.jwt")
public record JwtProperties(
        @DefaultValue("couponhub") String issuer,
        @DefaultValue("15m") Duration accessTokenTtl,
        String privateKey,
        String privateKeyFile,
        @DefaultValue("false") boolean generateKeyFileIfAbsent,
        @DefaultValue List<String> previousPublicKeys) {

    public JwtProperties {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("couponhub.jwt.issuer must not be blank");
        }
        if (accessTokenTtl == null || accessTokenTtl.isNegative() || accessTokenTtl.isZero()) {
            throw new IllegalArgumentException("couponhub.jwt.access-token-ttl must be positive");
        }
        previousPublicKeys = previousPublicKeys == null ? List.of()
                : previousPublicKeys.stream().filter(k -> k != null && !k.isBlank()).toList();
    }

    /** The key file, or null when none is configured. */
    public Path privateKeyPath() {
        return privateKeyFile == null || privateKeyFile.isBlank() ? null : Path.of(privateKeyFile.strip());
    }

    public boolean hasPrivateKey() {
        return privateKey != null && !privateKey.isBlank();
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "JwtProperties[issuer=" + issuer + ", accessTokenTtl=" + accessTokenTtl
                + ", privateKey=" + (hasPrivateKey() ? "(set)" : "(not set)")
                + ", privateKeyFile=" + privateKeyFile
                + ", generateKeyFileIfAbsent=" + generateKeyFileIfAbsent
                + ", previousPublicKeys=" + previousPublicKeys.size() + "]";
    }
}
