package dev.couponhub.user.auth;

import java.util.Locale;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

@Schema(name = "LoginRequest")
record LoginRequest(
        @Schema(example = "jane@example.com", description = "Compared trimmed and case-insensitively.")
        @NotBlank
        String email,
        @Schema(example = "correct horse battery")
        @NotEmpty
        String password) {

    LoginRequest {
        email = email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "LoginRequest[email=" + email + "]";
    }
}
