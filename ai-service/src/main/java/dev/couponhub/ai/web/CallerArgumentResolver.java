package dev.couponhub.ai.web;

import java.util.Locale;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Resolves {@link Caller} parameters from the gateway's {@code X-User-Id} and {@code X-User-Role} headers. */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    public static final String USER_ID_HEADER = "X-User-Id";
    public static final String USER_ROLE_HEADER = "X-User-Role";

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Caller caller = new Caller(parseUserId(webRequest.getHeader(USER_ID_HEADER)),
                parseRole(webRequest.getHeader(USER_ROLE_HEADER)));
        RequireRole required = parameter.getParameterAnnotation(RequireRole.class);
        if (required != null && caller.role() != required.value()) {
            throw new ApiException(ProblemCode.FORBIDDEN,
                    "Only a " + required.value() + " account may use this endpoint.");
        }
        return caller;
    }

    static long parseUserId(String header) {
        if (header != null) {
            try {
                long id = Long.parseLong(header.strip());
                if (id > 0) {
                    return id;
                }
            } catch (NumberFormatException ignored) {
                // answered below
            }
        }
        throw unauthorized();
    }

    static Role parseRole(String header) {
        if (header != null) {
            try {
                return Role.valueOf(header.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // answered below
            }
        }
        throw unauthorized();
    }

    private static ApiException unauthorized() {
        return new ApiException(ProblemCode.UNAUTHORIZED, "Sign in to use this endpoint.");
    }
}
