package dev.couponhub.user.web;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of every error answer ({@code application/problem+json}, RFC 9457), for the OpenAPI description.
 * The answers themselves are written from Spring's {@code ProblemDetail} by {@link ProblemHandler}.
 */
@Schema(name = "Problem", description = "An error (RFC 9457 problem details) with a stable `code`.")
public record ProblemBody(
        @Schema(example = "https://couponhub.dev/problems/validation-failed", requiredMode = Schema.RequiredMode.REQUIRED)
        URI type,
        @Schema(example = "Validation failed", requiredMode = Schema.RequiredMode.REQUIRED)
        String title,
        @Schema(example = "400", requiredMode = Schema.RequiredMode.REQUIRED)
        int status,
        @Schema(example = "The request has invalid fields.", requiredMode = Schema.RequiredMode.REQUIRED)
        String detail,
        @Schema(example = "/api/v1/auth/signup", description = "The request path.", requiredMode = Schema.RequiredMode.REQUIRED)
        URI instance,
        @Schema(example = "VALIDATION_FAILED", description = "Stable error code.", requiredMode = Schema.RequiredMode.REQUIRED)
        String code,
        @Schema(description = "Only for VALIDATION_FAILED: each rejected field.")
        List<FieldViolation> errors) {

    /** One rejected request field. */
    @Schema(name = "FieldViolation")
    public record FieldViolation(
            @Schema(example = "email", requiredMode = Schema.RequiredMode.REQUIRED) String field,
            @Schema(example = "must be a well-formed email address", requiredMode = Schema.RequiredMode.REQUIRED)
            String message) {
    }
}
