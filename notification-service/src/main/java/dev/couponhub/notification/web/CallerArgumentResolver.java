package dev.couponhub.notification.web;

import java.util.Set;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Resolves {@link Caller} parameters from the identity headers the gateway sets after verifying the token. */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    static final String USER_ID = "X-User-Id";
    static final String USER_ROLE = "X-User-Role";
    private static final Set<String> ROLES = Set.of("SHOPPER", "OWNER", "ADMIN");

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
                                        ServerWebExchange exchange) {
        String id = exchange.getRequest().getHeaders().getFirst(USER_ID);
        String role = exchange.getRequest().getHeaders().getFirst(USER_ROLE);
        long userId;
        try {
            userId = id == null ? 0 : Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            userId = 0;
        }
        if (userId <= 0 || role == null || !ROLES.contains(role.trim())) {
            return Mono.error(new ApiException(ProblemCode.UNAUTHORIZED, "Sign in to use this endpoint."));
        }
        return Mono.just(new Caller(userId, role.trim()));
    }
}
