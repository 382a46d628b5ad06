package dev.couponhub.gateway.routing;

import java.util.List;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.GatewayFilterSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

import dev.couponhub.gateway.config.ServicesProperties;
import dev.couponhub.gateway.problem.ProblemWriter;
import dev.couponhub.gateway.stock.StockRelay;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The route table of docs/api.md plus each service's OpenAPI description under {@code /v3/api-docs/<service>}.
 * Every route has a circuit breaker (named after its service) whose fallback answers 503. The wait for a backend is
 * bounded by the HTTP client's response time-out alone (application.yml; no Resilience4j time limiter, which would
 * add a second timer per request); the notification stream has its own breaker, whose long calls are not slow calls,
 * and no response time-out, and reaches notification-service over h2c ({@link H2cStreamProxy}). A coupon's live stock
 * is not proxied but relayed ({@link StockRelay}).
 */
@Configuration(proxyBeanMethods = false)
class RoutesConfiguration {

    static final String STREAM_CIRCUIT_BREAKER = "notification-stream";
    static final String STOCK_ROUTE = "coupon-stock-stream";
    static final String STOCK_RELAY_PATH = "/internal/stock-relay";

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
                                 ApiDocsServerRewrite apiDocsServerRewrite, H2cStreamProxy h2cStreamProxy) {
        RouteLocatorBuilder.Builder routes = builder.routes();

        // Before the general notifications route; a stream lasts as long as the client listens. Proxied over h2c,
        // many streams on one connection (H2cStreamProxy), unless configured otherwise.
        routes.route("notification-stream", r -> r.order(-1)
                .path("/api/v1/notifications/stream")
                .filters(f -> {
                    GatewayFilterSpec filters = withCircuitBreaker(f, STREAM_CIRCUIT_BREAKER, Backend.NOTIFICATION);
                    return services.notificationStreamH2c() ? filters.filter(h2cStreamProxy, H2cStreamProxy.ORDER)
                            : filters;
                })
                .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, -1)
                .uri(Backend.NOTIFICATION.uri(services)));
        // A coupon's live stock (anonymous), before the general coupons route: relayed by this gateway (StockRelay),
        // one stream from notification-service per watched coupon, after the global filters (rate limits) ran.
        routes.route(STOCK_ROUTE, r -> r.order(-1)
                .path(StockRelay.PATH)
                .uri("forward:" + STOCK_RELAY_PATH));

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

    /**
     * The stock route's forward target: the relay, for a request the stock route matched; anyone asking for the path
     * directly gets 404.
     */
    @Bean
    RouterFunction<ServerResponse> stockRelayRoute(StockRelay relay, ProblemWriter problems) {
        return route(path(STOCK_RELAY_PATH), request -> {
            ServerWebExchange exchange = request.exchange();
            Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
            String couponId = ServerWebExchangeUtils.getUriTemplateVariables(exchange).get("id");
            if (route == null || !STOCK_ROUTE.equals(route.getId()) || couponId == null) {
                return ServerResponse.status(HttpStatus.NOT_FOUND).build((ex, context) -> problems.write(ex,
                        HttpStatus.NOT_FOUND, "NOT_FOUND", "No resource exists at this path."));
            }
            if (request.method() != HttpMethod.GET) {
                return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED).allow(HttpMethod.GET)
                        .build((ex, context) -> problems.write(ex, HttpStatus.METHOD_NOT_ALLOWED,
                                "METHOD_NOT_ALLOWED", "Only GET is supported here."));
            }
            return ServerResponse.ok().build((ex, context) -> relay.serve(ex, couponId));
        });
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
