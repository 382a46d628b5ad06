package dev.couponhub.user.auth;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;

@Schema(name = "RefreshTokenRequest")
record RefreshTokenRequest(
        @Schema(description = "A refresh token from login or a previous refresh.")
        @NotBlank
        String refreshToken) {

    @Override
    public String toString() {
        return "RefreshTokenRequest[***]";
    }
}
