package dev.couponhub.kit.problem;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;

/**
 * A stable error code of docs/api.md with the HTTP status it is answered with. Each service lists its own codes in an enum
 * that implements this interface (the codes every service shares are {@link StandardProblem}); the kit renders them.
 */
public interface ProblemCode {

    /** The code as clients see it in a problem's {@code code}, e.g. {@code STORE_NOT_FOUND}. */
    String name();

    HttpStatus status();

    /** The problem's {@code title}: by default the code in words, {@code STORE_NOT_FOUND} gives "Store not found". */
    default String title() {
        return titleOf(name());
    }

    /** {@code STORE_NOT_FOUND} gives {@code https://couponhub.dev/problems/store-not-found}. */
    static URI typeOf(String code) {
        return URI.create("https://couponhub.dev/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** {@code STORE_NOT_FOUND} gives "Store not found". */
    static String titleOf(String code) {
        String words = code.toLowerCase(Locale.ROOT).replace('_', ' ');
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
