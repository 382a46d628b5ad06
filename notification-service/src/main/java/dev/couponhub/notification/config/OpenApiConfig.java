package dev.couponhub.notification.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI notificationServiceOpenApi() {
        String description = """
                Subscriptions to stores and alerts of Couponhub: the inbox, a live stream (Server-Sent Events) and \
                an e-mail for every alert.

                * `Notification`: `{id, type, title, body, data, createdAt, readAt}`. `type` and `data`:
                  `COUPON_PUBLISHED` (a followed store published a coupon) `{couponId, storeId}`;
                  `COUPON_OPENED` (a coupon a followed store published ahead of time can be claimed now, within a \
                  minute of its `issueStartsAt`) `{couponId, storeId}`;
                  `COUPON_CLAIMED` (your claim was issued) `{issuedCouponId, couponId}`;
                  `COUPON_GRANTED` (a store gave you a coupon) `{issuedCouponId, couponId, storeId}`;
                  `COUPON_EXPIRING` (expires within 24 hours) `{issuedCouponId, expiresAt}`;
                  `COUPON_REDEEMED` (you used a coupon) `{issuedCouponId, couponId, orderId, discountAmount}`.
                  Titles and bodies are Korean; times in them are shown in the service zone (Asia/Seoul by default).
                * Store names in the subscription list are refreshed from the store directory when it answers.
                * Lists are pages `{content, page, size, totalElements, totalPages}`; `page` is zero-based, `size` \
                1 to 100 (default 20).
                * Alerts come from coupon events, at least once; each event alerts each recipient once. Every \
                alert is also e-mailed, retried with back-off while the mail server is unreachable. A recipient gets \
                at most one alert mail per gather window (60 s by default): the first alert is mailed at once, the \
                ones that follow within the window are gathered into one mail sent when it ends.
                * Errors are `application/problem+json` (RFC 9457) with a stable `code`; validation failures are \
                400 `VALIDATION_FAILED` with `errors: [{field, message}]`.
                """;
        return new OpenAPI()
                .info(new Info().title("Couponhub alerts (notification-service)").version("v1")
                        .description(description))
                .components(new Components().addSecuritySchemes("bearerAuth", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("Access token from login or refresh; the stream also accepts it as the "
                                + "`access_token` query parameter.")));
    }
}
