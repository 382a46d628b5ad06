package dev.couponhub.kit.caller;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Spring MVC: resolves {@link Caller} controller parameters from the gateway's identity headers. */
class ServletCallerResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest request, WebDataBinderFactory binderFactory) {
        return Caller.forParameter(parameter, request.getHeader(Caller.USER_ID_HEADER),
                request.getHeader(Caller.USER_ROLE_HEADER), request.getHeader(Caller.STORE_ID_HEADER),
                request.getHeader(Caller.KEY_ID_HEADER));
    }
}
