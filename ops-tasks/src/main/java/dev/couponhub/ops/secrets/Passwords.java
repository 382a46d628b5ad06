package dev.couponhub.ops.secrets;

import java.security.SecureRandom;

/** Generated passwords: random, and safe in a JDBC URL, a shell word, a properties file and a SQL string literal. */
public final class Passwords {

    /** Letters, digits and {@code -_.~}: the unreserved characters of a URI, none special to a shell or SQL. */
    public static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
    /** 40 characters of 66: about 241 bits. */
    public static final int LENGTH = 40;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    public static String generate() {
        StringBuilder password = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
