package dev.couponhub.store.store;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/** The public view of an active store ({@code Store} in docs/api.md). */
@Schema(name = "Store")
record StoreResponse(
        long id,
        long ownerId,
        String name,
        Category category,
        String address,
        @Schema(nullable = true) String description,
        Instant createdAt,
        Instant updatedAt) {

    static StoreResponse of(Store store) {
        return new StoreResponse(store.id(), store.ownerId(), store.name(), store.category(), store.address(),
                store.description(), store.createdAt(), store.updatedAt());
    }
}
