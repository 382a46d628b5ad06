package dev.couponhub.user.auth;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(name = "Tokens", description = "A signed-in session.")
record TokensResponse(
        @Schema(description = "JWT (RS256) to send as `Authorization: Bearer <accessToken>`.",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String accessToken,
        @Schema(description = "Opaque, single-use token for `POST /api/v1/auth/refresh`; valid 14 days by default.",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String refreshToken,
        @Schema(example = "Bearer", requiredMode = Schema.RequiredMode.REQUIRED)
        String tokenType,
        @Schema(description = "Seconds until the access token expires.", example = "900",
                requiredMode = Schema.RequiredMode.REQUIRED)
        long expiresIn) {

    static final String BEARER = "Bearer";

    /** Never prints tokens. */
    @Override
    public String toString() {
        return "TokensResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + "]";
    }
}
