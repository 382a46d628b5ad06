package dev.couponhub.user.auth;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/auth", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Auth")
class AuthController {

    private final AuthService auth;

    AuthController(AuthService auth) {
        this.auth = auth;
    }

    @PostMapping("/login")
    @Operation(summary = "Log in",
            description = """
                    Starts a session. The access token is a JWT signed with RS256 (header `kid`; claims `iss`, \
                    `sub` = user id, `role`, `sid` = the session, kept by refreshes, `iat`, `exp`, `jti`) that \
                    lives 15 minutes by default (`expiresIn` says how many seconds). The refresh token is opaque, single use and lives 14 days by default. \
                    An unknown email, a wrong password and a closed account all answer the same 401 in the same time. \
                    After 5 failed logins for one email within 15 minutes, every login for that email (from any \
                    address, also with the right password, also for an email without an account) answers 429 \
                    `LOGIN_THROTTLED` with `Retry-After` (seconds until the oldest of those failures is 15 minutes \
                    old) without checking the password. A successful login clears the email's failures.""")
    @ApiResponse(responseCode = "200", description = "Signed in")
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: email or password missing")
    @ApiResponse(responseCode = "401", description = "BAD_CREDENTIALS")
    @ApiResponse(responseCode = "429", description = "LOGIN_THROTTLED: too many failed logins for the email; "
            + "`Retry-After` says how many seconds to wait")
    ResponseEntity<TokensResponse> login(@Valid @RequestBody LoginRequest request, HttpServletResponse response) {
        try {
            return noStore(auth.login(request.email(), request.password()));
        } catch (LoginThrottle.LoginThrottledException e) {
            // the kit renders the problem and keeps the headers already set on the response
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            throw e;
        }
    }

    @PostMapping("/refresh")
    @Operation(summary = "Exchange a refresh token for new tokens",
            description = """
                    Answers a new access token and a new refresh token (same session); the presented refresh token \
                    stops working. Presenting a refresh token that was already exchanged is treated as theft: the \
                    whole session (every refresh token descending from the same login) is revoked. Of concurrent \
                    refreshes with the same token at most one succeeds, and the others count as reuse: the session \
                    ends, the winner's new tokens included.""")
    @ApiResponse(responseCode = "200", description = "New tokens")
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: refreshToken missing")
    @ApiResponse(responseCode = "401", description = "INVALID_REFRESH_TOKEN: unknown, expired, revoked or already "
            + "used token, or closed account")
    ResponseEntity<TokensResponse> refresh(@Valid @RequestBody RefreshTokenRequest request) {
        return noStore(auth.refresh(request.refreshToken()));
    }

    @PostMapping("/logout")
    @Operation(summary = "Log out",
            description = """
                    Ends the session of the refresh token: it and every refresh token of the same session stop \
                    working, and the session is recorded as ended for the gateway (claim `sid` of its access \
                    tokens). Answers 204 also for an unknown token. Clients discard the session's access token.""")
    @ApiResponse(responseCode = "204", description = "Logged out")
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: refreshToken missing")
    ResponseEntity<Void> logout(@Valid @RequestBody RefreshTokenRequest request) {
        auth.logout(request.refreshToken());
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<TokensResponse> noStore(TokensResponse tokens) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(tokens);
    }
}
