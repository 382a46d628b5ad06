package dev.couponhub.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.CallerAutoConfiguration;
import dev.couponhub.kit.problem.ProblemAutoConfiguration;
import dev.couponhub.kit.problem.ProblemOpenApiCustomizer;
import dev.couponhub.kit.problem.ReactiveProblemHandler;
import dev.couponhub.kit.problem.ServletProblemHandler;
import org.junit.jupiter.api.Test;
import org.springdoc.core.service.AbstractRequestService;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The kit switches on what fits the service: servlet or WebFlux, and nothing web in a context that is neither. */
class KitAutoConfigurationTests {

    private static final AutoConfigurations KIT = AutoConfigurations.of(ProblemAutoConfiguration.class,
            CallerAutoConfiguration.class);

    @Test
    void servletServiceThenServletHandlerAndCallerResolver() {
        new WebApplicationContextRunner().withConfiguration(KIT).run(context -> {
            assertThat(context).hasSingleBean(ServletProblemHandler.class)
                    .doesNotHaveBean(ReactiveProblemHandler.class)
                    .hasSingleBean(WebMvcConfigurer.class)
                    .hasSingleBean(ProblemOpenApiCustomizer.class);
        });
    }

    @Test
    void reactiveServiceThenReactiveHandlerAndCallerResolver() {
        new ReactiveWebApplicationContextRunner().withConfiguration(KIT).run(context -> {
            assertThat(context).hasSingleBean(ReactiveProblemHandler.class)
                    .doesNotHaveBean(ServletProblemHandler.class)
                    .hasSingleBean(WebFluxConfigurer.class);
        });
    }

    @Test
    void callerParameterThenLeftOutOfTheOpenApiDescription() {
        new WebApplicationContextRunner().withConfiguration(KIT).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(AbstractRequestService.isRequestTypeToIgnore(Caller.class)).isTrue();
        });
    }

    @Test
    void noWebApplicationThenNoWebBeans() {
        new ApplicationContextRunner().withConfiguration(KIT).run(context -> {
            assertThat(context).doesNotHaveBean(ServletProblemHandler.class)
                    .doesNotHaveBean(ReactiveProblemHandler.class)
                    .doesNotHaveBean(ProblemOpenApiCustomizer.class);
        });
    }
}
