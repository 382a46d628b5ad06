package dev.couponhub.user.account;

import java.util.Locale;

import dev.couponhub.user.web.MaxUtf8Bytes;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@Schema(name = "SignupRequest")
record SignupRequest(
        @Schema(example = "jane@example.com", minLength = 1, maxLength = 254,
                description = "Trimmed and lower-cased; at most 254 characters.")
        @NotBlank @Email @Size(max = 254)
        String email,

        @Schema(example = "correct horse battery", minLength = 8, maxLength = 72,
                description = "8 to 72 characters, at most 72 bytes in UTF-8.")
        @NotNull @Size(min = 8, max = 72) @MaxUtf8Bytes(AccountService.MAX_PASSWORD_BYTES)
        String password,

        @Schema(example = "Jane", minLength = 1, maxLength = 50, description = "Trimmed; 1 to 50 characters.")
        @NotBlank @Size(max = 50)
        String name,

        @Schema(example = "SHOPPER", allowableValues = {"SHOPPER", "OWNER"})
        @NotNull @Pattern(regexp = "SHOPPER|OWNER", message = "must be SHOPPER or OWNER")
        String role) {

    @Override
    public String toString() {
        return "SignupRequest[email=" + email + ", role=" + role + "]";
    }

    SignupRequest {
        email = email == null ? null : email.strip().toLowerCase(Locale.ROOT);
        name = name == null ? null : name.strip();
    }
}
