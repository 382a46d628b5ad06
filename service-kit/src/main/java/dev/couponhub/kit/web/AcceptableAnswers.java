package dev.couponhub.kit.web;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Whether a request's {@code Accept} header admits what its handler answers, decided before the handler runs. Spring
 * finds out only when it writes the answer, after the handler ran: a write asked for with {@code Accept:
 * application/xml} was carried out and then answered 406. A handler's types are the {@code produces} of its mapping,
 * or JSON when it names none (every Couponhub answer is JSON but the streams, which name theirs).
 */
final class AcceptableAnswers {

    private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON);

    private AcceptableAnswers() {
    }

    /**
     * Whether the answer may be given (no servlet types here: WebFlux services use it too).
     *
     * @param accept    the request's {@code Accept} header, {@code null} when absent
     * @param producible the handler's {@code produces}, {@code null} or empty when it names none
     * @return {@code false} when no accepted type is compatible with the handler's, or the header cannot be parsed
     */
    static boolean acceptable(String accept, Collection<MediaType> producible) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        if ((producible == null || producible.isEmpty()) && admitsJsonPlainly(accept)) {
            return true;
        }
        List<MediaType> offered = offered(producible);
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        for (MediaType type : accepted) {
            for (MediaType answer : offered) {
                if (type.isCompatibleWith(answer)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code application/json} or {@code *}{@code /*}, what nearly every client sends (claims included): admits a JSON
     * answer without parsing the header.
     */
    static boolean admitsJsonPlainly(String accept) {
        return accept.equals(MediaType.APPLICATION_JSON_VALUE) || accept.equals(MediaType.ALL_VALUE);
    }

    /** What the handler answers: its {@code produces}, or JSON. */
    static List<MediaType> offered(Collection<MediaType> producible) {
        return producible == null || producible.isEmpty() ? JSON : List.copyOf(producible);
    }

    @SuppressWarnings("unchecked")
    static Collection<MediaType> producible(Object attribute) {
        return attribute instanceof Set<?> set ? (Collection<MediaType>) set : null;
    }
}
