package dev.couponhub.ops.secrets;

import java.util.Optional;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * AWS Secrets Manager. A secret that Terraform created without a value has no version, and {@code GetSecretValue}
 * answers {@code ResourceNotFoundException} for its {@code AWSCURRENT} stage; that is "no value yet". A secret that
 * does not exist at all answers the same, and then {@link #putValue} fails, naming it.
 */
public class SecretsManagerSecretStore implements SecretStore {

    private static final String CURRENT = "AWSCURRENT";

    private final SecretsManagerClient client;

    public SecretsManagerSecretStore(SecretsManagerClient client) {
        this.client = client;
    }

    @Override
    public Optional<String> currentValue(String secretId) {
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(request -> request.secretId(secretId).versionStage(CURRENT));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        if (response.secretString() == null && response.secretBinary() != null) {
            throw new IllegalStateException("Secret " + secretId + " holds binary data, not a password");
        }
        return Optional.ofNullable(response.secretString()).filter(value -> !value.isEmpty());
    }

    @Override
    public void putValue(String secretId, String value) {
        client.putSecretValue(request -> request.secretId(secretId).secretString(value));
    }
}
