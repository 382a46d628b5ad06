package dev.couponhub.store.store;

import java.util.Objects;

/**
 * What an owner states about a store: everything but its identity, ownership and lifecycle. Values are already
 * validated and normalised (trimmed; a blank description is null).
 */
public record StoreDetails(String name, Category category, String address, String description) {

    public StoreDetails {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(address, "address");
    }
}
