package dev.couponhub.kit.web;

import java.util.Collection;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.kit.problem.ReactiveProblemHandler;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Answers 406 {@code NOT_ACCEPTABLE} before a handler runs when the request's {@code Accept} header admits nothing it
 * answers ({@link AcceptableAnswers}), in servlet and WebFlux services alike, so that a refused request has changed
 * nothing.
 */
@AutoConfiguration
public class AcceptCheckAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.config.annotation.WebMvcConfigurer")
    static class Servlet {

        @Bean
        WebMvcConfigurer acceptCheck() {
            return new WebMvcConfigurer() {
                @Override
                public void addInterceptors(InterceptorRegistry registry) {
                    registry.addInterceptor(new HandlerInterceptor() {
                        @Override
                        public boolean preHandle(HttpServletRequest request, HttpServletResponse response,
                                                 Object handler) throws HttpMediaTypeNotAcceptableException {
                            if (handler instanceof HandlerMethod) {
                                Collection<MediaType> producible = AcceptableAnswers.producible(request.getAttribute(
                                        org.springframework.web.servlet.HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE));
                                if (!AcceptableAnswers.acceptable(request.getHeader(HttpHeaders.ACCEPT), producible)) {
                                    throw new HttpMediaTypeNotAcceptableException(
                                            AcceptableAnswers.offered(producible));
                                }
                            }
                            return true;
                        }
                    });
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping")
    static class Reactive {

        /**
         * Looks the handler up once more, as the dispatcher will (the lookup also records its {@code produces} on the
         * exchange), and checks the header against it; requests no annotated handler takes pass unchanged.
         */
        @Bean
        WebFilter acceptCheck(@Qualifier("requestMappingHandlerMapping") org.springframework.web.reactive.HandlerMapping
                                      mappings, ObjectMapper json) {
            return new AcceptCheckFilter(mappings, json);
        }
    }

    static final class AcceptCheckFilter implements WebFilter, Ordered {

        private final org.springframework.web.reactive.HandlerMapping mappings;
        private final ObjectMapper json;

        AcceptCheckFilter(org.springframework.web.reactive.HandlerMapping mappings, ObjectMapper json) {
            this.mappings = mappings;
            this.json = json;
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            String accept = exchange.getRequest().getHeaders().getFirst(HttpHeaders.ACCEPT);
            // a handler that names its produces is refused by the lookup itself when Accept does not fit; one that
            // names none answers JSON, which these headers admit: no second lookup for the usual requests
            if (accept == null || accept.isBlank() || AcceptableAnswers.admitsJsonPlainly(accept)) {
                return chain.filter(exchange);
            }
            return mappings.getHandler(exchange)
                    .map(handler -> AcceptableAnswers.acceptable(accept, AcceptableAnswers.producible(
                            exchange.getAttribute(
                                    org.springframework.web.reactive.HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE))))
                    .defaultIfEmpty(Boolean.TRUE)
                    // a lookup that fails (no handler for this Accept, path or method) fails again in the dispatcher,
                    // whose error handling answers it with the kit's problem
                    .onErrorResume(e -> Mono.just(Boolean.TRUE))
                    .flatMap(acceptable -> acceptable ? chain.filter(exchange) : notAcceptable(exchange));
        }

        /** The kit's 406 problem, written here: a web filter's error would not reach the kit's exception handler. */
        private Mono<Void> notAcceptable(ServerWebExchange exchange) {
            ProblemDetail problem = ReactiveProblemHandler.problemFor(HttpStatus.NOT_ACCEPTABLE,
                    "Acceptable representations: " + MediaType.APPLICATION_JSON_VALUE + " (the Accept header "
                            + "names none this operation answers).", exchange.getRequest().getPath().value());
            byte[] body;
            try {
                body = json.writeValueAsBytes(problem);
            } catch (JsonProcessingException e) {
                return Mono.error(e);
            }
            exchange.getResponse().setStatusCode(HttpStatus.NOT_ACCEPTABLE);
            exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            exchange.getResponse().getHeaders().setContentLength(body.length);
            return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
        }
    }
}
