package dev.couponhub.user.account;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

@Schema(name = "UpdateProfileRequest")
record UpdateProfileRequest(
        @Schema(example = "Jane D.", minLength = 1, maxLength = 50,
                description = "Trimmed; 1 to 50 characters. Absent or null leaves the name unchanged.")
        @Size(min = 1, max = 50, message = "must be 1 to 50 characters and not blank")
        String name) {

    UpdateProfileRequest {
        name = name == null ? null : name.strip();
    }
}
