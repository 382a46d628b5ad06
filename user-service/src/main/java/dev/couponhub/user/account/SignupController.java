package dev.couponhub.user.account;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/auth", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Auth", description = "Sign-up, login and sessions (refresh tokens). Anonymous access.")
class SignupController {

    /** Where a signed-in account reads itself; there is no resource per account id. */
    static final URI ME = URI.create("/api/v1/users/me");

    private final AccountService accounts;

    SignupController(AccountService accounts) {
        this.accounts = accounts;
    }

    @PostMapping("/signup")
    @Operation(summary = "Create an account",
            description = """
                    Creates a SHOPPER or OWNER account (ADMIN cannot be chosen). The email is trimmed and lower-cased \
                    and must not belong to another open account; the email of a closed account can sign up again. \
                    Sign-up does not sign in: call login next. `Location` points to `/api/v1/users/me`, where the \
                    account reads itself once signed in.""")
    @ApiResponse(responseCode = "201", description = "Account created",
            headers = @Header(name = "Location", description = "/api/v1/users/me"))
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: a field is missing or invalid (see `errors`)")
    @ApiResponse(responseCode = "409", description = "EMAIL_TAKEN: an open account already has this email")
    ResponseEntity<UserResponse> signUp(@Valid @RequestBody SignupRequest request) {
        Account account = accounts.signUp(request.email(), request.password(), request.name(), Role.valueOf(request.role()));
        return ResponseEntity.created(ME).body(UserResponse.of(account));
    }
}
