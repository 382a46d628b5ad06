package dev.couponhub.user.auth;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;

/** RSA key pairs for tests, generated once per JVM. */
final class TestKeys {

    static final KeyPair CURRENT = generate(2048);
    static final KeyPair PREVIOUS = generate(2048);

    private TestKeys() {
    }

    static RSAPrivateCrtKey currentPrivate() {
        return (RSAPrivateCrtKey) CURRENT.getPrivate();
    }

    static String pemPrivate(KeyPair pair) {
        return Pem.format("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    static String pemPublic(KeyPair pair) {
        return Pem.format("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    static KeyPair generate(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
