package dev.couponhub.user.account;

import dev.couponhub.kit.caller.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/users/me", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Account", description = "The signed-in caller's own account.")
@SecurityRequirement(name = "bearerAuth")
@ApiResponse(responseCode = "401", description = "UNAUTHORIZED: no valid access token, or the account is closed")
class MeController {

    private final AccountService accounts;

    MeController(AccountService accounts) {
        this.accounts = accounts;
    }

    @GetMapping
    @Operation(summary = "Read my account")
    @ApiResponse(responseCode = "200", description = "The caller's account")
    UserResponse me(@Parameter(hidden = true) Caller caller) {
        return UserResponse.of(accounts.signedIn(caller.userId()));
    }

    @PatchMapping
    @Operation(summary = "Change my name",
            description = "Partial update: an absent or null `name` leaves it unchanged; a given name is trimmed and "
                    + "must be 1 to 50 characters.")
    @ApiResponse(responseCode = "200", description = "The updated account")
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED")
    UserResponse update(@Parameter(hidden = true) Caller caller, @Valid @RequestBody UpdateProfileRequest request) {
        Account account = request.name() == null
                ? accounts.signedIn(caller.userId())
                : accounts.rename(caller.userId(), request.name());
        return UserResponse.of(account);
    }

    @PutMapping("/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Change my password",
            description = """
                    Checks the current password, sets the new one and revokes every refresh token of the account, \
                    so every session (including this one) must log in again. Access tokens already issued stay \
                    valid until they expire (at most the access-token lifetime, 15 minutes by default).""")
    @ApiResponse(responseCode = "204", description = "Password changed; all refresh tokens revoked")
    @ApiResponse(responseCode = "400", description = "WRONG_PASSWORD: `currentPassword` is not correct; "
            + "VALIDATION_FAILED: `newPassword` is not 8 to 72 characters")
    void changePassword(@Parameter(hidden = true) Caller caller, @Valid @RequestBody ChangePasswordRequest request) {
        accounts.changePassword(caller.userId(), request.currentPassword(), request.newPassword());
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Close my account",
            description = """
                    Closes the account: it can no longer log in, every refresh token is revoked and its email can \
                    sign up again as a new account. Access tokens already issued are refused by this service at \
                    once; elsewhere they stay valid until they expire (15 minutes by default).""")
    @ApiResponse(responseCode = "204", description = "Account closed")
    void close(@Parameter(hidden = true) Caller caller) {
        accounts.close(caller.userId());
    }
}
