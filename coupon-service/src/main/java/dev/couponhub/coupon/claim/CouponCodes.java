package dev.couponhub.coupon.claim;

import java.security.SecureRandom;

/**
 * Codes shoppers show at the store: 12 symbols of a 32-symbol alphabet without look-alikes (no 0, 1, I, O), from a
 * SecureRandom: 60 bits, so guessing one is hopeless. Unique in the database; a collision is simply retried.
 */
public final class CouponCodes {

    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    static final int LENGTH = 12;

    private static final SecureRandom RANDOM = new SecureRandom();

    private CouponCodes() {
    }

    /**
     * Whether the text has the shape of a code (its length, only symbols of the alphabet): what has not cannot name
     * an issued coupon, so it is answered as unknown without asking the database, whatever its characters.
     */
    public static boolean isWellFormed(String code) {
        if (code.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    static String next() {
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(code);
    }
}
