package dev.couponhub.ops.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

class SecretStoreConfigTests {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withUserConfiguration(SecretStoreConfig.class);

    @Test
    void secretsManagerStoreInTheRegionOfAwsRegionBuiltOnlyWhenAsked() {
        contexts.withPropertyValues("couponhub.ops.secrets-manager.region=ap-northeast-2").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanFactory().getSingleton("secretsManagerClient")).as("lazy").isNull();
            assertThat(context.getBean(SecretStore.class)).isInstanceOf(SecretsManagerSecretStore.class);
            assertThat(context.getBean(SecretsManagerClient.class).serviceClientConfiguration().region())
                    .isEqualTo(Region.AP_NORTHEAST_2);
        });
    }

    @Test
    void anotherSecretStoreThenNoAwsClient() {
        contexts.withInitializer(context -> context.getBeanFactory().registerSingleton("secretStore",
                        new SecretStore() {
                            @Override
                            public Optional<String> currentValue(String secretId) {
                                return Optional.empty();
                            }

                            @Override
                            public void putValue(String secretId, String value) {
                            }
                        }))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(SecretsManagerClient.class);
                    assertThat(context).doesNotHaveBean(SecretsManagerSecretStore.class);
                });
    }
}
