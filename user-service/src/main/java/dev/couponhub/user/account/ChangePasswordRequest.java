package dev.couponhub.user.account;

import dev.couponhub.user.web.MaxUtf8Bytes;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(name = "ChangePasswordRequest")
record ChangePasswordRequest(
        @NotEmpty
        String currentPassword,

        @Schema(minLength = 8, maxLength = 72, description = "8 to 72 characters, at most 72 bytes in UTF-8.")
        @NotNull @Size(min = 8, max = 72) @MaxUtf8Bytes(AccountService.MAX_PASSWORD_BYTES)
        String newPassword) {

    @Override
    public String toString() {
        return "ChangePasswordRequest[***]";
    }
}
