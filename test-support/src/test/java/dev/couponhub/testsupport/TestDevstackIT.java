package dev.couponhub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.couponhub.devstack.Component;
import dev.couponhub.devstack.Devstack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Runs in order: the first test sees the JVM's devstack before anything else started it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestDevstackIT {

    @Test
    @Order(1)
    void registerStartsOnlyWhatIsAskedAndALaterCallAddsTheMissingComponentsToTheSameDevstack() throws Exception {
        Properties first = new Properties();
        TestDevstack.register(first, "store", Component.REDIS);
        Devstack devstack = TestDevstack.start();

        assertThat(devstack.components()).containsExactly(Component.REDIS);
        assertThat(first.values()).containsOnlyKeys("spring.data.redis.host", "spring.data.redis.port");
        assertThat(first.get("spring.data.redis.host")).isEqualTo("127.0.0.1");
        assertThat(first.get("spring.data.redis.port")).isEqualTo(devstack.redisPort());

        Properties second = new Properties();
        TestDevstack.register(second, "store", Component.MARIADB, Component.REDIS, Component.SMTP);

        assertThat(TestDevstack.start()).isSameAs(devstack);
        assertThat(devstack.components())
                .containsExactlyInAnyOrder(Component.MARIADB, Component.REDIS, Component.SMTP);
        assertThat(second.get("spring.data.redis.port")).isEqualTo(devstack.redisPort());
        assertThat(second.get("spring.datasource.url"))
                .isEqualTo("jdbc:mysql://127.0.0.1:" + devstack.mariadbPort() + "/store_db");
        assertThat(second.get("spring.datasource.username")).isEqualTo("store_svc");
        assertThat(second.get("spring.mail.host")).isEqualTo("127.0.0.1");
        assertThat(second.get("spring.mail.port")).isEqualTo(devstack.smtpPort());
        assertThat(second.get("couponhub.test.mail-api-url")).isEqualTo(devstack.mailApiUrl());

        try (Connection connection = DriverManager.getConnection((String) second.get("spring.datasource.url"),
                (String) second.get("spring.datasource.username"), (String) second.get("spring.datasource.password"));
             Statement statement = connection.createStatement();
             ResultSet schema = statement.executeQuery("SELECT DATABASE()")) {
            assertThat(schema.next()).isTrue();
            assertThat(schema.getString(1)).isEqualTo("store_db");
        }
        HttpResponse<String> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(second.get("couponhub.test.mail-api-url") + "/api/service/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(readiness.statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void registerSqsGivesTheEndpointAndTheStaticRegionAndCredentialsSpringCloudAwsNeeds() {
        Properties properties = new Properties();
        TestDevstack.register(properties, "notification", Component.SQS);

        Devstack devstack = TestDevstack.start();
        assertThat(properties.values()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "spring.cloud.aws.sqs.endpoint", devstack.sqsEndpoint(),
                "spring.cloud.aws.region.static", "us-east-1",
                "spring.cloud.aws.credentials.access-key", "local",
                "spring.cloud.aws.credentials.secret-key", "local"));
        assertThat(devstack.sqsEndpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
    }

    @Test
    @Order(3)
    void registerMariadbForAServiceWithoutADatabaseFailsClearly() {
        assertThatThrownBy(() -> TestDevstack.register(new Properties(), "gateway", Component.MARIADB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gateway' has no database");
    }

    /** What a Spring test context would receive, resolved. */
    private static final class Properties implements DynamicPropertyRegistry {

        private final Map<String, Object> values = new LinkedHashMap<>();

        @Override
        public void add(String name, Supplier<Object> valueSupplier) {
            values.put(name, valueSupplier.get());
        }

        Map<String, Object> values() {
            return values;
        }

        Object get(String name) {
            return values.get(name);
        }
    }
}
