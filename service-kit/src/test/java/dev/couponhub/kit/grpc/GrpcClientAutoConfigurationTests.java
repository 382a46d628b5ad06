package dev.couponhub.kit.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@link GrpcClients} only where gRPC clients and Resilience4j are; the settings under the service's own keys. */
class GrpcClientAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration.class,
                    GrpcClientAutoConfiguration.class));

    @Test
    void grpcClientStarterAndResilience4jThenGrpcClients() {
        runner.run(context -> assertThat(context).hasSingleBean(GrpcClients.class));
    }

    @Test
    void withoutTheGrpcClientStarterThenNothing() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(GrpcChannelFactory.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcClients.class));
    }

    @Test
    void withoutResilience4jThenNothing() {
        runner.withClassLoader(new FilteredClassLoader(CircuitBreaker.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcClients.class));
    }

    @Test
    void settingsNestedInAServicesPropertiesThenBoundUnderItsKeysWithDefaultsForTheRest() {
        runner.withUserConfiguration(ServiceConfig.class)
                .withPropertyValues("couponhub.stores.deadline=300ms",
                        "couponhub.stores.breaker.minimum-number-of-calls=7",
                        "couponhub.users.warm-up.enabled=false",
                        "couponhub.users.warm-up.await-first=true")
                .run(context -> {
                    ServiceClients clients = context.getBean(ServiceClients.class);
                    assertThat(clients.stores().deadline()).isEqualTo(Duration.ofMillis(300));
                    assertThat(clients.stores().breaker()).isEqualTo(new GrpcClientProperties.Breaker(50, 7, 20,
                            Duration.ofSeconds(10)));
                    assertThat(clients.stores().warmUp()).isEqualTo(GrpcClientProperties.WarmUp.DEFAULTS);
                    assertThat(clients.users().deadline()).isEqualTo(Duration.ofMillis(800));
                    assertThat(clients.users().warmUp().enabled()).isFalse();
                    assertThat(clients.users().warmUp().awaitFirst()).isTrue();
                    assertThat(clients.users().warmUp().deadline()).isEqualTo(Duration.ofSeconds(10));
                });
    }

    @Test
    void nothingSetThenTheDefaults() {
        runner.withUserConfiguration(ServiceConfig.class).run(context -> assertThat(context
                .getBean(ServiceClients.class).stores()).isEqualTo(GrpcClientProperties.defaults()));
    }

    @Test
    void deadlineNotPositiveThenTheServiceDoesNotStart() {
        runner.withUserConfiguration(ServiceConfig.class).withPropertyValues("couponhub.stores.deadline=0s")
                .run(context -> assertThat(context).hasFailed());
    }

    /** How a service binds the settings of its clients under its own prefix. */
    @ConfigurationProperties("couponhub")
    record ServiceClients(@DefaultValue GrpcClientProperties stores, @DefaultValue GrpcClientProperties users) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ServiceClients.class)
    static class ServiceConfig {
    }
}
