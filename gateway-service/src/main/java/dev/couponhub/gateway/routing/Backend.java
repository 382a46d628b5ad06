package dev.couponhub.gateway.routing;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

import dev.couponhub.gateway.config.ServicesProperties;

/**
 * The services behind the gateway, by the key used in configuration, fallback paths and API docs.
 */
enum Backend {

    USER("user", ServicesProperties::user),
    STORE("store", ServicesProperties::store),
    COUPON("coupon", ServicesProperties::coupon),
    NOTIFICATION("notification", ServicesProperties::notification),
    BATCH("batch", ServicesProperties::batch),
    AI("ai", ServicesProperties::ai);

    private final String key;
    private final Function<ServicesProperties, URI> uri;

    Backend(String key, Function<ServicesProperties, URI> uri) {
        this.key = key;
        this.uri = uri;
    }

    String key() {
        return key;
    }

    String serviceName() {
        return key + "-service";
    }

    URI uri(ServicesProperties services) {
        return uri.apply(services);
    }

    String fallbackUri() {
        return "forward:" + FallbackHandler.PATH_PREFIX + key;
    }

    static Optional<Backend> byKey(String key) {
        return Arrays.stream(values()).filter(backend -> backend.key.equals(key)).findFirst();
    }
}
