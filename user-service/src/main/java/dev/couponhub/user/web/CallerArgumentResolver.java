package dev.couponhub.user.web;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Resolves {@link Caller} parameters from the gateway's {@code X-User-Id} header. */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    public static final String USER_ID_HEADER = "X-User-Id";

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        return new Caller(parseUserId(webRequest.getHeader(USER_ID_HEADER)));
    }

    static long parseUserId(String header) {
        if (header == null || header.isBlank()) {
            throw new ApiException(ProblemCode.UNAUTHORIZED, "Sign in to use this endpoint.");
        }
        try {
            long id = Long.parseLong(header.strip());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(ProblemCode.UNAUTHORIZED, "Sign in to use this endpoint.");
    }
}
