package dev.couponhub.store.store;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.CodePointLength;

/**
 * Body of creating and of replacing a store. Text is trimmed before it is validated; lengths count characters
 * (Unicode code points); a blank description means none.
 */
@Schema(name = "StoreRequest")
record StoreRequest(
        @Schema(description = "1 to 100 characters, trimmed", example = "Cafe Haneul")
        @NotBlank @CodePointLength(max = 100) String name,
        @Schema(description = "one of FOOD, CAFE, BEAUTY, FASHION, LIFESTYLE, ENTERTAINMENT, OTHER", example = "CAFE")
        @NotNull Category category,
        @Schema(description = "1 to 200 characters, trimmed", example = "12 Teheran-ro, Gangnam-gu, Seoul")
        @NotBlank @CodePointLength(max = 200) String address,
        @Schema(description = "optional, up to 1000 characters, trimmed; blank means none", nullable = true)
        @CodePointLength(max = 1000) String description) {

    StoreRequest {
        name = name == null ? null : name.strip();
        address = address == null ? null : address.strip();
        description = description == null || description.isBlank() ? null : description.strip();
    }

    StoreDetails details() {
        return new StoreDetails(name, category, address, description);
    }
}
