package dev.couponhub.ops.secrets;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * The Secrets Manager client, built only when a task asks for the {@link SecretStore} (search-reindex needs neither a
 * region nor AWS credentials). Credentials: the SDK's default chain, on ECS the task role.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecretStoreConfig.SecretsManagerProperties.class)
class SecretStoreConfig {

    /**
     * @param region the AWS region ({@code AWS_REGION}); empty: the SDK's default region chain
     */
    @ConfigurationProperties("couponhub.ops.secrets-manager")
    record SecretsManagerProperties(String region) {
    }

    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean(SecretStore.class)
    SecretsManagerClient secretsManagerClient(SecretsManagerProperties properties) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder();
        if (properties.region() != null && !properties.region().isBlank()) {
            builder.region(Region.of(properties.region()));
        }
        return builder.build();
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean(SecretStore.class)
    SecretStore secretStore(@Lazy SecretsManagerClient client) {
        return new SecretsManagerSecretStore(client);
    }
}
