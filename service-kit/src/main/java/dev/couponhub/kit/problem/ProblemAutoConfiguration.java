package dev.couponhub.kit.problem;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * problem+json for every error of a servlet or a WebFlux service, and the {@code Problem} schema on every error
 * response of its OpenAPI description. A service declares its codes as an enum implementing {@link ProblemCode} and
 * throws {@link ApiException}; it writes no handler of its own.
 */
@AutoConfiguration(before = {WebMvcAutoConfiguration.class, WebFluxAutoConfiguration.class})
public class ProblemAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    static class Servlet {

        @Bean
        @ConditionalOnMissingBean
        ServletProblemHandler servletProblemHandler() {
            return new ServletProblemHandler();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
    static class Reactive {

        @Bean
        @ConditionalOnMissingBean
        ReactiveProblemHandler reactiveProblemHandler() {
            return new ReactiveProblemHandler();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OpenApiCustomizer.class)
    @ConditionalOnWebApplication
    static class OpenApi {

        @Bean
        ProblemOpenApiCustomizer problemOpenApiCustomizer() {
            return new ProblemOpenApiCustomizer();
        }
    }
}
