package dev.couponhub.ops.secrets;

import java.util.Optional;

/**
 * Where the passwords live: AWS Secrets Manager on AWS ({@link SecretsManagerSecretStore}). The tests use an in-memory
 * store, because there is no local Secrets Manager here (devstack has none, and none is on the package registries
 * this project builds from).
 */
public interface SecretStore {

    /**
     * The current value ({@code AWSCURRENT}) of a secret.
     *
     * @return empty when the secret has no value yet (or an empty one)
     */
    Optional<String> currentValue(String secretId);

    /** Stores a new value, which becomes the current one. */
    void putValue(String secretId, String value);
}
