package dev.couponhub.kit.problem;

import io.swagger.v3.oas.annotations.media.Schema;

/** One rejected request field or parameter, as listed in a {@code VALIDATION_FAILED} answer's {@code errors}. */
@Schema(name = "FieldViolation")
public record FieldViolation(
        @Schema(example = "email", requiredMode = Schema.RequiredMode.REQUIRED) String field,
        @Schema(example = "must be a well-formed email address", requiredMode = Schema.RequiredMode.REQUIRED)
        String message) {
}
