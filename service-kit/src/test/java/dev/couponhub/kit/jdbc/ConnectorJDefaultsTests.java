package dev.couponhub.kit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.flyway.FlywayProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.SpringProperties;

/** Every service's pool gets the driver settings of the kit, and a service's own configuration still wins. */
class ConnectorJDefaultsTests {

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    @Test
    void anApplicationGetsEveryDefaultAsThePoolWouldBindIt() {
        try (ConfigurableApplicationContext context = start()) {
            Map<String, String> bound = driverProperties(context);
            assertThat(bound).containsEntry("useLocalSessionState", "true")
                    .containsEntry("useLocalTransactionState", "true")
                    .containsEntry("readOnlyPropagatesToServer", "false")
                    .containsEntry("rewriteBatchedStatements", "true")
                    .containsEntry("openTelemetry", "DISABLED")
                    .containsEntry("cachePrepStmts", "true")
                    .hasSize(ConnectorJDefaults.DEFAULTS.size());
        }
    }

    @Test
    void flywayRetriesItsFirstConnectionAsFlywayWouldBindIt() {
        try (ConfigurableApplicationContext context = start("--spring.flyway.connect-retries=3")) {
            FlywayProperties flyway = Binder.get(context.getEnvironment()).bind("spring.flyway",
                    FlywayProperties.class).orElseThrow(() -> new AssertionError("nothing bound"));
            assertThat(flyway.getConnectRetries()).isEqualTo(3);
            assertThat(flyway.getConnectRetriesInterval()).isEqualTo(Duration.ofSeconds(5));
        }
        try (ConfigurableApplicationContext context = start()) {
            assertThat(Binder.get(context.getEnvironment()).bind("spring.flyway", FlywayProperties.class)
                    .orElseThrow(() -> new AssertionError("nothing bound")).getConnectRetries()).isEqualTo(10);
        }
    }

    @Test
    void theServicesOwnSettingWinsAndItsOtherSettingsStay() {
        try (ConfigurableApplicationContext context = start(
                "--spring.datasource.hikari.data-source-properties.useLocalSessionState=false",
                "--spring.datasource.hikari.data-source-properties.connectTimeout=2000")) {
            Map<String, String> bound = driverProperties(context);
            assertThat(bound).containsEntry("useLocalSessionState", "false")
                    .containsEntry("connectTimeout", "2000")
                    .containsEntry("useLocalTransactionState", "true");
        }
    }

    @Test
    void nullParametersAreSentWithoutAskingTheDriverForTheirTypeUnlessTheFlagIsSetElsewhere() throws Exception {
        String before = SpringProperties.getProperty(ConnectorJDefaults.IGNORE_GET_PARAMETER_TYPE);
        try {
            SpringProperties.setProperty(ConnectorJDefaults.IGNORE_GET_PARAMETER_TYPE, null);
            start().close();
            assertThat(SpringProperties.getFlag(ConnectorJDefaults.IGNORE_GET_PARAMETER_TYPE)).isTrue();

            SpringProperties.setProperty(ConnectorJDefaults.IGNORE_GET_PARAMETER_TYPE, "false");
            start().close();
            assertThat(SpringProperties.getFlag(ConnectorJDefaults.IGNORE_GET_PARAMETER_TYPE)).isFalse();
        } finally {
            SpringProperties.setProperty(ConnectorJDefaults.IGNORE_GET_PARAMETER_TYPE, before);
        }
    }

    private static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off").run(args);
    }

    private static Map<String, String> driverProperties(ConfigurableApplicationContext context) {
        return Binder.get(context.getEnvironment()).bind("spring.datasource.hikari.data-source-properties",
                Bindable.mapOf(String.class, String.class)).orElseThrow(() -> new AssertionError("nothing bound"));
    }
}
