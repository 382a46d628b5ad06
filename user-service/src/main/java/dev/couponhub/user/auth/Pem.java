package dev.couponhub.user.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading and writing RSA keys as PEM (private: PKCS#8 {@code PRIVATE KEY}; public: X.509 {@code PUBLIC KEY}). */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private Pem() {
    }

    /**
     * Parses an RSA private key in PEM PKCS#8. The key must carry its CRT parameters (as every PKCS#8 RSA key written
     * by OpenSSL or Java does), which hold the public exponent.
     *
     * @throws IllegalArgumentException without any key material in its message
     */
    static RSAPrivateCrtKey parsePrivateKey(String pem) {
        byte[] der = decode(pem, "PRIVATE KEY");
        try {
            if (KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof RSAPrivateCrtKey key) {
                return key;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA private key in PKCS#8 ('BEGIN PRIVATE KEY')");
        }
        throw new IllegalArgumentException("the RSA private key has no CRT parameters");
    }

    /** @throws IllegalArgumentException without any key material in its message */
    static RSAPublicKey parsePublicKey(String pem) {
        byte[] der = decode(pem, "PUBLIC KEY");
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an RSA public key in X.509 ('BEGIN PUBLIC KEY')");
        }
    }

    static RSAPublicKey publicKeyOf(RSAPrivateCrtKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the public key", e);
        }
    }

    static String format(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] decode(String pem, String type) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("empty PEM");
        }
        // Environments sometimes carry a PEM on one line with literal "\n" separators.
        String text = pem.replace("\\n", "\n");
        Matcher matcher = BLOCK.matcher(text);
        if (!matcher.find() || !matcher.group(1).equals(type)) {
            throw new IllegalArgumentException("expected a PEM block '-----BEGIN " + type + "-----'");
        }
        try {
            return Base64.getMimeDecoder().decode(matcher.group(2).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM block is not valid base64");
        }
    }
}
