package dev.couponhub.user.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * terraform/ecs.tf hands user-service the earlier signing keys as one environment variable,
 * {@code COUPONHUB_JWT_PREVIOUSPUBLICKEYS}, holding comma-separated PEM public keys.
 */
class JwtPropertiesBindingTests {

    private static final String FIRST = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAfirst\n-----END PUBLIC KEY-----\n";
    private static final String SECOND = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsecond\n-----END PUBLIC KEY-----\n";

    private static JwtProperties bind(Map<String, Object> environment) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
        return new Binder(ConfigurationPropertySources.from(sources))
                .bindOrCreate("couponhub.jwt", JwtProperties.class);
    }

    @Test
    void previousPublicKeysWhenCommaSeparatedInOneVariableThenEachPemIsOneKey() {
        JwtProperties properties = bind(Map.of("COUPONHUB_JWT_PREVIOUSPUBLICKEYS", FIRST + "," + SECOND));

        assertThat(properties.previousPublicKeys()).hasSize(2);
        assertThat(properties.previousPublicKeys().get(0)).contains("first").doesNotContain("second");
        assertThat(properties.previousPublicKeys().get(1)).contains("second")
                .startsWith("-----BEGIN PUBLIC KEY-----").contains("-----END PUBLIC KEY-----");
    }

    @Test
    void previousPublicKeysWhenVariableEmptyThenNone() {
        JwtProperties properties = bind(Map.of("COUPONHUB_JWT_PREVIOUSPUBLICKEYS", ""));

        assertThat(properties.previousPublicKeys()).isEmpty();
    }
}
