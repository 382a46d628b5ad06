package dev.couponhub.kit.caller;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** WebFlux: resolves {@link Caller} controller parameters from the gateway's identity headers. */
class ReactiveCallerResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
                                        ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        return Mono.fromCallable(() -> Caller.forParameter(parameter, headers.getFirst(Caller.USER_ID_HEADER),
                headers.getFirst(Caller.USER_ROLE_HEADER), headers.getFirst(Caller.STORE_ID_HEADER),
                headers.getFirst(Caller.KEY_ID_HEADER)));
    }
}
