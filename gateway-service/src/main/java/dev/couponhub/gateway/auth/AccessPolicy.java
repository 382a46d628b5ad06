package dev.couponhub.gateway.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which routed requests need a token (docs/api.md, route table).
 */
final class AccessPolicy {

    enum Access {
        /** Tokens are ignored; the request is forwarded without identity. */
        ANONYMOUS,
        /** No token needed, but a token that is sent must be valid and then identifies the caller. */
        OPTIONAL,
        /** A valid token is required. */
        REQUIRED
    }

    /** The only path that accepts the token as the {@code access_token} query parameter (browsers' EventSource). */
    static final String STREAM_PATH = "/api/v1/notifications/stream";

    private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;

    private static final List<PathPattern> ANONYMOUS_PATHS = List.of(
            PARSER.parse("/api/v1/auth/**"),
            PARSER.parse("/v3/api-docs/**"));

    private static final List<PathPattern> PUBLIC_READ_PATHS = List.of(
            PARSER.parse("/api/v1/stores/**"),
            PARSER.parse("/api/v1/coupons/**"));

    /** The routes a store's API key may use (API.md: "its partner keys"); every other route answers it 403. */
    private static final List<Map.Entry<HttpMethod, PathPattern>> PARTNER_ROUTES = List.of(
            Map.entry(HttpMethod.GET, PARSER.parse("/api/v1/coupons/{id}/issued-coupons")),
            Map.entry(HttpMethod.GET, PARSER.parse("/api/v1/coupons/{id}/issued-coupons.csv")),
            Map.entry(HttpMethod.POST, PARSER.parse("/api/v1/coupons/{id}/grants")),
            Map.entry(HttpMethod.POST, PARSER.parse("/api/v1/redemptions")),
            Map.entry(HttpMethod.POST, PARSER.parse("/api/v1/redemptions/preview")),
            Map.entry(HttpMethod.POST, PARSER.parse("/api/v1/redemptions/cancel")));

    private static final Set<HttpMethod> READ_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private AccessPolicy() {
    }

    static Access of(HttpMethod method, PathContainer path) {
        if (matchesAny(ANONYMOUS_PATHS, path)) {
            return Access.ANONYMOUS;
        }
        if (READ_METHODS.contains(method) && matchesAny(PUBLIC_READ_PATHS, path)) {
            return Access.OPTIONAL;
        }
        return Access.REQUIRED;
    }

    /** Whether a store's API key may be used on this route (the services check the store). */
    static boolean partnerMayUse(HttpMethod method, PathContainer path) {
        for (Map.Entry<HttpMethod, PathPattern> route : PARTNER_ROUTES) {
            if (route.getKey().equals(method) && route.getValue().matches(path)) {
                return true;
            }
        }
        return false;
    }

    static boolean acceptsQueryToken(HttpMethod method, PathContainer path) {
        return HttpMethod.GET.equals(method) && STREAM_PATH.equals(path.value());
    }

    private static boolean matchesAny(List<PathPattern> patterns, PathContainer path) {
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
