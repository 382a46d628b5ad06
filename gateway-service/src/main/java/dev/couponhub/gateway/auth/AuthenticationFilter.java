package dev.couponhub.gateway.auth;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.couponhub.gateway.problem.ProblemWriter;
import dev.couponhub.gateway.ratelimit.InvalidTokenLimit;

/**
 * Decides who the caller of a routed request is. For every request it removes all client-sent
 * {@code X-User-*} headers, the {@code Authorization} and {@code X-Api-Key} headers and the {@code access_token} query
 * parameter; after verifying a token it sets {@code X-User-Id} and {@code X-User-Role} for the backend. A request with
 * {@code X-Api-Key} (a store's server) is checked with {@link PartnerKeys} instead: an unknown or deleted key is 401, a
 * route API.md does not open to partner keys 403 ({@link AccessPolicy#partnerMayUse}), else the backend gets
 * {@code X-User-Role: PARTNER}, {@code X-User-Store-Id} and {@code X-User-Key-Id} (and no user). A client
 * address that sent too many invalid tokens is answered 429 before its next token is verified ({@link InvalidTokenLimit}).
 * Runs before the rate limiter, the body cache and routing.
 */
@Component
public class AuthenticationFilter implements GlobalFilter, Ordered {

    /** Before the rate limiter and before the gateway buffers request bodies (HIGHEST_PRECEDENCE + 1000). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    static final String USER_ID_HEADER = "X-User-Id";
    static final String USER_ROLE_HEADER = "X-User-Role";
    static final String ACCESS_TOKEN_PARAMETER = "access_token";
    static final String API_KEY_HEADER = "X-Api-Key";
    static final String STORE_ID_HEADER = "X-User-Store-Id";
    static final String KEY_ID_HEADER = "X-User-Key-Id";

    private static final Logger log = LoggerFactory.getLogger(AuthenticationFilter.class);
    private static final String IDENTITY_HEADER_PREFIX = "x-user-";
    private static final String BEARER_PREFIX = "bearer ";

    private final JwtVerifier verifier;
    private final SessionRevocations revocations;
    private final PartnerKeys partnerKeys;
    private final InvalidTokenLimit invalidTokens;
    private final ProblemWriter problems;

    /** A key's check: the partner (empty for a key no store holds), or why it could not be checked. */
    private record KeyCheck(Optional<PartnerIdentity> partner, Throwable failure) {
    }

    AuthenticationFilter(JwtVerifier verifier, SessionRevocations revocations, PartnerKeys partnerKeys,
                         InvalidTokenLimit invalidTokens, ProblemWriter problems) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.partnerKeys = partnerKeys;
        this.invalidTokens = invalidTokens;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpMethod method = request.getMethod();
        PathContainer path = request.getPath().pathWithinApplication();
        AccessPolicy.Access access = AccessPolicy.of(method, path);

        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String queryToken = AccessPolicy.acceptsQueryToken(method, path)
                ? request.getQueryParams().getFirst(ACCESS_TOKEN_PARAMETER)
                : null;
        boolean credentialsSent = authorization != null || (queryToken != null && !queryToken.isEmpty());
        String apiKey = request.getHeaders().getFirst(API_KEY_HEADER);
        if (apiKey != null) {
            return partner(exchange, chain, apiKey, credentialsSent);
        }

        if (access == AccessPolicy.Access.ANONYMOUS
                || (access == AccessPolicy.Access.OPTIONAL && !credentialsSent)) {
            return chain.filter(forward(exchange, null));
        }
        if (!credentialsSent) {
            return unauthorized(exchange, "Bearer",
                    "Authentication is required: send an access token in the Authorization header.");
        }
        String token = authorization != null ? bearerToken(authorization) : queryToken;
        TokenVerification remembered = token == null ? null : verifier.remembered(token);
        if (remembered == null) {
            // about to check a signature (or refuse at once): only as often as the address's invalid tokens allow
            long retryAfter = invalidTokens.secondsUntilAllowed(exchange);
            if (retryAfter > 0) {
                exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
                return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED",
                        "Too many invalid access tokens from this address; retry after the time in Retry-After.");
            }
        }
        if (token == null || token.isBlank()) {
            invalidTokens.invalid(exchange);
            return invalidToken(exchange, false);
        }
        Mono<TokenVerification> verification = remembered != null ? Mono.just(remembered) : verifier.verify(token);
        return verification.flatMap(result -> {
            if (result instanceof TokenVerification.Valid valid) {
                CallerIdentity identity = valid.identity();
                exchange.getAttributes().put(CallerIdentity.ATTRIBUTE, identity);
                Mono<Void> routed = chain.filter(forward(exchange, identity));
                // a stream outlives the check at its start: it ends when its session does
                return AccessPolicy.acceptsQueryToken(method, path)
                        ? routed.takeUntilOther(revocations.ended(identity.sessionId()))
                        : routed;
            }
            if (!(result instanceof TokenVerification.KeysUnavailable)) {
                invalidTokens.invalid(exchange);
            }
            if (result instanceof TokenVerification.Revoked) {
                exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
                return problems.write(exchange, HttpStatus.UNAUTHORIZED, "TOKEN_REVOKED",
                        "The session of this access token has ended (logout, password change or account closed). "
                                + "Log in again.");
            }
            if (result instanceof TokenVerification.Invalid invalid) {
                log.debug("Rejected access token: {}", invalid.reason());
                return invalidToken(exchange, invalid.expired());
            }
            return problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "DEPENDENCY_UNAVAILABLE",
                    "user-service is unavailable: access tokens cannot be verified right now.");
        });
    }

    /** A request with {@code X-Api-Key}: a store's server. */
    private Mono<Void> partner(ServerWebExchange exchange, GatewayFilterChain chain, String apiKey,
                               boolean tokenSent) {
        if (tokenSent) {
            return unauthorized(exchange, "ApiKey", "Send either an access token or an API key (X-Api-Key), not both.");
        }
        String hash = PartnerKeys.hashOf(apiKey); // hashed once: the look-up and the cache both use it
        if (hash == null || !partnerKeys.remembered(hash)) {
            // about to ask store-service: only as often as the address's invalid credentials allow
            long retryAfter = invalidTokens.secondsUntilAllowed(exchange);
            if (retryAfter > 0) {
                exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
                return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED",
                        "Too many invalid credentials from this address; retry after the time in Retry-After.");
            }
        }
        ServerHttpRequest request = exchange.getRequest();
        Mono<Optional<PartnerIdentity>> identified = hash == null ? Mono.just(Optional.empty())
                : partnerKeys.identify(hash);
        return identified
                .map(found -> new KeyCheck(found, null))
                .onErrorResume(e -> Mono.just(new KeyCheck(Optional.empty(), e)))
                .flatMap(check -> {
                    if (check.failure() != null) {
                        log.warn("API key could not be checked: {}", check.failure().toString());
                        return problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "DEPENDENCY_UNAVAILABLE",
                                "store-service is unavailable: API keys cannot be checked right now.");
                    }
                    if (check.partner().isEmpty()) {
                        invalidTokens.invalid(exchange);
                        return unauthorized(exchange, "ApiKey", "The API key is not valid (unknown or deleted).");
                    }
                    if (!AccessPolicy.partnerMayUse(request.getMethod(), request.getPath().pathWithinApplication())) {
                        return problems.write(exchange, HttpStatus.FORBIDDEN, "FORBIDDEN", "An API key may only be "
                                + "used on its store's issued coupons, grants and redemptions at the counter.");
                    }
                    PartnerIdentity partner = check.partner().get();
                    exchange.getAttributes().put(PartnerIdentity.ATTRIBUTE, partner);
                    return chain.filter(forward(exchange, null, partner));
                });
    }

    private Mono<Void> invalidToken(ServerWebExchange exchange, boolean expired) {
        return unauthorized(exchange, "Bearer error=\"invalid_token\"",
                expired ? "The access token has expired." : "The access token is not valid.");
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, String challenge, String detail) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return problems.write(exchange, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", detail);
    }

    private static String bearerToken(String authorization) {
        if (authorization.length() <= BEARER_PREFIX.length()
                || !authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
            return null;
        }
        return authorization.substring(BEARER_PREFIX.length()).trim();
    }

    private static ServerWebExchange forward(ServerWebExchange exchange, CallerIdentity identity) {
        return forward(exchange, identity, null);
    }

    /** The request as the backend sees it: no client identity claims, no credentials, maybe ours. */
    private static ServerWebExchange forward(ServerWebExchange exchange, CallerIdentity identity,
                                             PartnerIdentity partner) {
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpRequest.Builder builder = request.mutate().headers(headers -> {
            List<String> identityHeaders = new ArrayList<>();
            for (String name : headers.keySet()) {
                if (name.toLowerCase(Locale.ROOT).startsWith(IDENTITY_HEADER_PREFIX)) {
                    identityHeaders.add(name);
                }
            }
            identityHeaders.forEach(headers::remove);
            headers.remove(HttpHeaders.AUTHORIZATION);
            headers.remove(API_KEY_HEADER);
            if (identity != null) {
                headers.set(USER_ID_HEADER, Long.toString(identity.userId()));
                headers.set(USER_ROLE_HEADER, identity.role());
            }
            if (partner != null) {
                headers.set(USER_ROLE_HEADER, "PARTNER");
                headers.set(STORE_ID_HEADER, Long.toString(partner.storeId()));
                headers.set(KEY_ID_HEADER, Long.toString(partner.keyId()));
            }
        });
        URI withoutToken = withoutAccessToken(request.getURI());
        if (withoutToken != null) {
            builder.uri(withoutToken);
        }
        return exchange.mutate().request(builder.build()).build();
    }

    /** The URI without any {@code access_token} query parameter, or null when it has none. */
    static URI withoutAccessToken(URI uri) {
        String rawQuery = uri.getRawQuery();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        StringJoiner kept = new StringJoiner("&");
        boolean removed = false;
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String rawName = eq >= 0 ? pair.substring(0, eq) : pair;
            String name;
            try {
                name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
            }
            catch (IllegalArgumentException e) {
                name = rawName;
            }
            if (ACCESS_TOKEN_PARAMETER.equals(name)) {
                removed = true;
            }
            else if (!pair.isEmpty()) {
                kept.add(pair);
            }
        }
        if (!removed) {
            return null;
        }
        StringBuilder result = new StringBuilder();
        result.append(uri.getScheme()).append("://").append(uri.getRawAuthority()).append(uri.getRawPath());
        if (kept.length() > 0) {
            result.append('?').append(kept);
        }
        return URI.create(result.toString());
    }
}
