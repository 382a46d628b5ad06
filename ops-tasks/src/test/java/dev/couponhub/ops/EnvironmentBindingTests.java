package dev.couponhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.couponhub.ops.dbbootstrap.DbBootstrapProperties;
import dev.couponhub.ops.dbbootstrap.DbBootstrapProperties.Database;
import dev.couponhub.ops.searchreindex.SearchReindexProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/** The environment variable names the ECS task definitions use bind to the tasks' properties, with application.yml. */
class EnvironmentBindingTests {

    @Test
    void dbBootstrapEnvironmentOfTheEcsTaskBinds() throws IOException {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("DB_HOST", "couponhub.abc.ap-northeast-2.rds.amazonaws.com");
        env.put("DB_PORT", "3307");
        env.put("DB_MASTER_USERNAME", "couponhub_admin");
        env.put("DB_MASTER_PASSWORD", "master-secret");
        env.put("COUPONHUB_OPS_DATABASES_0_SCHEMA", "coupon_db");
        env.put("COUPONHUB_OPS_DATABASES_0_USER", "coupon_svc");
        env.put("COUPONHUB_OPS_DATABASES_0_PASSWORD_SECRET_ID", "arn:aws:secretsmanager:r:1:secret:coupon");
        env.put("COUPONHUB_OPS_DATABASES_0_GLOBAL_PRIVILEGES_0", "XA_RECOVER_ADMIN");
        env.put("COUPONHUB_OPS_DATABASES_1_SCHEMA", "user_db");
        env.put("COUPONHUB_OPS_DATABASES_1_USER", "user_svc");
        // the other spelling Spring Boot binds: dashes removed
        env.put("COUPONHUB_OPS_DATABASES_1_PASSWORDSECRETID", "arn:aws:secretsmanager:r:1:secret:user");
        env.put("COUPONHUB_OPS_GENERATED_SECRETS_0", "arn:aws:secretsmanager:r:1:secret:admin");
        Binder binder = binder(env);

        DbBootstrapProperties properties = binder.bindOrCreate("couponhub.ops", DbBootstrapProperties.class);

        assertThat(properties.db()).isEqualTo(new DbBootstrapProperties.Db(
                "couponhub.abc.ap-northeast-2.rds.amazonaws.com", 3307, "couponhub_admin", "master-secret"));
        assertThat(properties.databases()).containsExactly(
                new Database("coupon_db", "coupon_svc", "arn:aws:secretsmanager:r:1:secret:coupon",
                        List.of("XA_RECOVER_ADMIN")),
                new Database("user_db", "user_svc", "arn:aws:secretsmanager:r:1:secret:user", List.of()));
        assertThat(properties.generatedSecrets()).containsExactly("arn:aws:secretsmanager:r:1:secret:admin");
    }

    @Test
    void commaSeparatedGlobalPrivilegesAndDefaultPortBind() throws IOException {
        Binder binder = binder(Map.of(
                "COUPONHUB_OPS_DATABASES_0_GLOBAL_PRIVILEGES", "XA_RECOVER_ADMIN,PROCESS"));
        DbBootstrapProperties properties = binder.bindOrCreate("couponhub.ops", DbBootstrapProperties.class);
        assertThat(properties.databases().get(0).globalPrivileges()).containsExactly("XA_RECOVER_ADMIN", "PROCESS");
        assertThat(properties.db().port()).isEqualTo(3306);
    }

    @Test
    void searchReindexEnvironmentOfTheEcsTaskBindsWithDefaults() throws IOException {
        Binder binder = binder(Map.of(
                "COUPONHUB_OPS_COUPON_SERVICE_URL", "http://coupon-service.couponhub.local:8083",
                "COUPONHUB_OPS_SEARCH_REINDEX_ATTEMPTS", "20",
                "COUPONHUB_OPS_SEARCH_REINDEX_TIMEOUT", "5s"));
        SearchReindexProperties properties = binder.bindOrCreate("couponhub.ops", SearchReindexProperties.class);
        assertThat(properties.couponServiceUrl()).isEqualTo("http://coupon-service.couponhub.local:8083");
        assertThat(properties.searchReindex()).isEqualTo(
                new SearchReindexProperties.Retry(20, Duration.ofSeconds(10), Duration.ofSeconds(5)));
        assertThat(binder(Map.of("COUPONHUB_OPS_SEARCH_REINDEX_RETRY_DELAY", "2s"))
                .bindOrCreate("couponhub.ops", SearchReindexProperties.class).searchReindex().retryDelay())
                .isEqualTo(Duration.ofSeconds(2));
    }

    private static Binder binder(Map<String, Object> env) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        // Spring Boot maps environment variable names only in a source with this name
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment);
    }
}
