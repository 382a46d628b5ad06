package dev.couponhub.user.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.couponhub.user.config.InvalidConfigurationException;
import dev.couponhub.user.config.JwtProperties;
import io.jsonwebtoken.security.Jwks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The RS256 key that signs access tokens, and the public keys published in the JWKS: the current one first, then
 * {@code couponhub.jwt.previous-public-keys}. A key id ({@code kid}) is the RFC 7638 JWK thumbprint (SHA-256,
 * base64url) of the public key. Key material is never logged.
 */
@Component
class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    static final int MIN_KEY_BITS = 2048;
    private static final String KEY_ACTION = "Set COUPONHUB_JWT_PRIVATE_KEY to an RSA private key of at least "
            + MIN_KEY_BITS + " bits in PEM PKCS#8 ('-----BEGIN PRIVATE KEY-----'), for example the output of "
            + "'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048'.";

    /** A public key that verifies tokens, with its key id. */
    record VerificationKey(String keyId, RSAPublicKey publicKey) {
    }

    private final RSAPrivateKey signingKey;
    private final String keyId;
    private final List<VerificationKey> published;

    @Autowired
    SigningKeys(JwtProperties properties) {
        this(loadPrivateKey(properties), properties.previousPublicKeys());
    }

    SigningKeys(RSAPrivateCrtKey signingKey, List<String> previousPublicKeyPems) {
        requireStrength(signingKey.getModulus().bitLength(), "the JWT signing key");
        RSAPublicKey current = Pem.publicKeyOf(signingKey);
        this.signingKey = signingKey;
        this.keyId = thumbprint(current);
        Map<String, VerificationKey> keys = new LinkedHashMap<>();
        keys.put(keyId, new VerificationKey(keyId, current));
        for (int i = 0; i < previousPublicKeyPems.size(); i++) {
            RSAPublicKey previous;
            try {
                previous = Pem.parsePublicKey(previousPublicKeyPems.get(i));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException("couponhub.jwt.previous-public-keys[" + i + "] is not usable: "
                        + e.getMessage(), "Give each previous key as an RSA public key in PEM ('-----BEGIN PUBLIC KEY-----').");
            }
            String previousId = thumbprint(previous);
            keys.putIfAbsent(previousId, new VerificationKey(previousId, previous));
        }
        this.published = List.copyOf(new ArrayList<>(keys.values()));
    }

    RSAPrivateKey signingKey() {
        return signingKey;
    }

    String keyId() {
        return keyId;
    }

    List<VerificationKey> published() {
        return published;
    }

    /** RFC 7638 thumbprint (SHA-256, base64url without padding) of an RSA public key. */
    static String thumbprint(RSAPublicKey key) {
        return Jwks.builder().key(key).build().thumbprint().toString();
    }

    static RSAPrivateCrtKey loadPrivateKey(JwtProperties properties) {
        if (properties.hasPrivateKey()) {
            try {
                return Pem.parsePrivateKey(properties.privateKey());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(
                        "couponhub.jwt.private-key (COUPONHUB_JWT_PRIVATE_KEY) is not usable: " + e.getMessage(),
                        KEY_ACTION);
            }
        }
        Path file = properties.privateKeyPath();
        if (file == null) {
            throw new InvalidConfigurationException("No JWT signing key is configured: neither "
                    + "couponhub.jwt.private-key (COUPONHUB_JWT_PRIVATE_KEY) nor couponhub.jwt.private-key-file is set.",
                    KEY_ACTION + " Or set couponhub.jwt.private-key-file to a file holding such a key (the 'local' "
                            + "profile does, and generates the key when the file is absent).");
        }
        if (!Files.exists(file)) {
            if (!properties.generateKeyFileIfAbsent()) {
                throw new InvalidConfigurationException("couponhub.jwt.private-key-file " + file + " does not exist.",
                        "Create the file with an RSA private key of at least " + MIN_KEY_BITS
                                + " bits in PEM PKCS#8, or set couponhub.jwt.generate-key-file-if-absent=true.");
            }
            generateKeyFile(file);
        }
        try {
            return Pem.parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new InvalidConfigurationException("couponhub.jwt.private-key-file " + file + " cannot be read: "
                    + e.getClass().getSimpleName(), "Make the file readable by the service's user.");
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("couponhub.jwt.private-key-file " + file + " is not usable: "
                    + e.getMessage(), KEY_ACTION.replace("Set COUPONHUB_JWT_PRIVATE_KEY", "Put"));
        }
    }

    /**
     * Writes a new 2048-bit RSA key to {@code file}, readable by its owner only. Another process creating the same
     * file at the same moment wins without either one overwriting the other.
     */
    static void generateKeyFile(Path file) {
        Path target = file.toAbsolutePath();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            Files.createDirectories(target.getParent());
            Path temp = posix
                    ? Files.createTempFile(target.getParent(), ".signing-key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(target.getParent(), ".signing-key", ".tmp");
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(MIN_KEY_BITS);
                byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
                Files.writeString(temp, Pem.format("PRIVATE KEY", der), StandardCharsets.US_ASCII);
                try {
                    Files.createLink(target, temp);
                    log.info("Generated a new JWT signing key in {}", target);
                } catch (FileAlreadyExistsException raced) {
                    log.info("JWT signing key {} was created by another process", target);
                } catch (UnsupportedOperationException noHardLinks) {
                    Files.move(temp, target);
                    log.info("Generated a new JWT signing key in {}", target);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the JWT signing key file " + target, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireStrength(int bits, String what) {
        if (bits < MIN_KEY_BITS) {
            throw new InvalidConfigurationException(what + " has " + bits + " bits; at least " + MIN_KEY_BITS
                    + " are required.", KEY_ACTION);
        }
    }
}
