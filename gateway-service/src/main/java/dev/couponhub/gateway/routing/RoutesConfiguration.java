package dev.couponhub.gateway.routing;

import java.util.List;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.GatewayFilterSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.couponhub.gateway.config.ServicesProperties;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The route table of docs/api.md plus each service's OpenAPI description under {@code /v3/api-docs/<service>}.
 * Every route has a circuit breaker (named after its service) whose fallback answers 503. The wait for a backend is
 * bounded by the HTTP client's response time-out alone (application.yml; no Resilience4j time limiter, which would
 * add a second timer per request); the notification stream has its own breaker, whose long calls are not slow calls,
 * and no response time-out.
 */
@Configuration(proxyBeanMethods = false)
class RoutesConfiguration {

    static final String STREAM_CIRCUIT_BREAKER = "notification-stream";

    private record ApiRoute(String id, Backend backend, List<String> paths) {
    }

    private static final List<ApiRoute> API_ROUTES = List.of(
            new ApiRoute("auth", Backend.USER, List.of("/api/v1/auth/**")),
            new ApiRoute("users", Backend.USER, List.of("/api/v1/users/**")),
            new ApiRoute("stores", Backend.STORE, List.of("/api/v1/stores/**")),
            new ApiRoute("coupons", Backend.COUPON, List.of("/api/v1/coupons/**")),
            new ApiRoute("issued-coupons", Backend.COUPON,
                    List.of("/api/v1/issued-coupons/**", "/api/v1/redemptions/**")),
            new ApiRoute("notifications", Backend.NOTIFICATION,
                    List.of("/api/v1/subscriptions/**", "/api/v1/notifications/**")),
            new ApiRoute("stats", Backend.BATCH, List.of("/api/v1/stats/**", "/api/v1/batch/**")),
            new ApiRoute("recommendations", Backend.AI, List.of("/api/v1/recommendations/**")));

    @Bean
    RouteLocator couponhubRoutes(RouteLocatorBuilder builder, ServicesProperties services,
                                 ApiDocsServerRewrite apiDocsServerRewrite) {
        RouteLocatorBuilder.Builder routes = builder.routes();

        // Before the general notifications route; a stream lasts as long as the client listens.
        routes.route("notification-stream", r -> r.order(-1)
                .path("/api/v1/notifications/stream")
                .filters(f -> withCircuitBreaker(f, STREAM_CIRCUIT_BREAKER, Backend.NOTIFICATION))
                .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, -1)
                .uri(Backend.NOTIFICATION.uri(services)));
        // A coupon's live stock (anonymous): served by notification-service, before the general coupons route.
        routes.route("coupon-stock-stream", r -> r.order(-1)
                .path("/api/v1/coupons/{id}/stock/stream")
                .filters(f -> withCircuitBreaker(f, STREAM_CIRCUIT_BREAKER, Backend.NOTIFICATION))
                .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, -1)
                .uri(Backend.NOTIFICATION.uri(services)));

        for (ApiRoute api : API_ROUTES) {
            routes.route(api.id(), r -> r
                    .path(api.paths().toArray(String[]::new))
                    .filters(f -> withCircuitBreaker(f, api.backend().key(), api.backend()))
                    .uri(api.backend().uri(services)));
        }

        for (Backend backend : Backend.values()) {
            routes.route("api-docs-" + backend.key(), r -> r
                    .path("/v3/api-docs/" + backend.key())
                    .filters(f -> withCircuitBreaker(f, backend.key(), backend)
                            .setPath("/v3/api-docs")
                            .modifyResponseBody(String.class, String.class, apiDocsServerRewrite))
                    .uri(backend.uri(services)));
        }
        return routes.build();
    }

    private static GatewayFilterSpec withCircuitBreaker(GatewayFilterSpec filters, String name, Backend backend) {
        return filters.circuitBreaker(config -> config.setName(name).setFallbackUri(backend.fallbackUri()));
    }

    @Bean
    RouterFunction<ServerResponse> circuitBreakerFallback(FallbackHandler handler) {
        return route(path(FallbackHandler.PATH_PREFIX + "{service}"), request -> {
            String service = request.pathVariable("service");
            return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .build((exchange, context) -> handler.handle(exchange, service));
        });
    }
}
