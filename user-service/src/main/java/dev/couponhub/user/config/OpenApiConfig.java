package dev.couponhub.user.config;

import java.time.Duration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI userServiceOpenApi(JwtProperties jwt, RefreshTokenProperties refreshTokens) {
        String description = """
                Accounts and sessions of Couponhub.

                * Sign up, then log in to get `Tokens`: an access token (JWT, RS256, lifetime %s) to send as \
                `Authorization: Bearer <accessToken>`, and an opaque refresh token (lifetime %s, single use).
                * Refreshing answers new tokens; the old refresh token stops working. Reusing an already used refresh \
                token revokes the whole session. Logout, a password change and closing the account revoke refresh \
                tokens; access tokens already issued stay valid until they expire.
                * Errors are `application/problem+json` (RFC 9457) with a stable `code`; validation failures are \
                400 `VALIDATION_FAILED` with `errors: [{field, message}]`.
                * Emails are trimmed and lower-cased; names are trimmed. Passwords are 8 to 72 characters and at \
                most 72 bytes in UTF-8 (BCrypt's limit).
                """.formatted(human(jwt.accessTokenTtl()), human(refreshTokens.ttl()));
        return new OpenAPI()
                .info(new Info().title("Couponhub accounts (user-service)").version("v1").description(description))
                .components(new Components().addSecuritySchemes("bearerAuth", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("Access token from login or refresh.")));
    }

    /** 15 minutes, 14 days, 90 seconds. */
    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0) {
            return plural(seconds / 86_400, "day");
        }
        if (seconds % 3_600 == 0) {
            return plural(seconds / 3_600, "hour");
        }
        if (seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}
