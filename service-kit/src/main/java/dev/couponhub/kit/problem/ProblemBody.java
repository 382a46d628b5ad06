package dev.couponhub.kit.problem;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of every error answer ({@code application/problem+json}, RFC 9457), for the OpenAPI descriptions only:
 * the answers themselves are Spring {@code ProblemDetail}s written by the kit's problem handler.
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
        @Schema(example = "/api/v1/stores", description = "The request path.", requiredMode = Schema.RequiredMode.REQUIRED)
        URI instance,
        @Schema(example = "VALIDATION_FAILED", description = "Stable error code.", requiredMode = Schema.RequiredMode.REQUIRED)
        String code,
        @Schema(description = "Only for VALIDATION_FAILED: each rejected field or parameter.")
        List<FieldViolation> errors) {
}
