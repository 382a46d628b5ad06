package dev.couponhub.user.account;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/** The public view of an account. */
@Schema(name = "User", description = "An account.")
record UserResponse(
        @Schema(example = "42", requiredMode = Schema.RequiredMode.REQUIRED) long id,
        @Schema(example = "jane@example.com", description = "Lower case.", requiredMode = Schema.RequiredMode.REQUIRED)
        String email,
        @Schema(example = "Jane", requiredMode = Schema.RequiredMode.REQUIRED) String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Role role,
        @Schema(example = "2026-11-21T09:00:00Z", requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt) {

    static UserResponse of(Account account) {
        return new UserResponse(account.id(), account.email(), account.name(), account.role(), account.createdAt());
    }
}
