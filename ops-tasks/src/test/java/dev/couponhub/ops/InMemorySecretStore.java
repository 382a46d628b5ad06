package dev.couponhub.ops;

import dev.couponhub.ops.secrets.SecretStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tests' {@link SecretStore}: there is no local Secrets Manager here (devstack has none, and no emulator is on the
 * package registries this project builds from), so AWS' own implementation is not exercised by the tests. A secret is
 * "known" once {@link #create(String)} or {@link #putValue} was called for it; one without a value behaves as a
 * Secrets Manager secret without a version.
 */
public class InMemorySecretStore implements SecretStore {

    private final Map<String, Optional<String>> values = new ConcurrentHashMap<>();
    private final List<String> puts = new CopyOnWriteArrayList<>();

    /** A secret without a value, as Terraform creates them. */
    public InMemorySecretStore create(String secretId) {
        values.put(secretId, Optional.empty());
        return this;
    }

    @Override
    public Optional<String> currentValue(String secretId) {
        return values.getOrDefault(secretId, Optional.empty());
    }

    @Override
    public void putValue(String secretId, String value) {
        values.put(secretId, Optional.of(value));
        puts.add(secretId);
    }

    /** Every {@link #putValue} call, in order (the tests' own puts included). */
    public List<String> puts() {
        return List.copyOf(puts);
    }

    public String value(String secretId) {
        return currentValue(secretId).orElseThrow(() -> new AssertionError("secret " + secretId + " has no value"));
    }
}
