package dev.couponhub.gateway.webapp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;

/**
 * Serves the web app (module {@code web}, on the class path under {@code couponhub-web/}) at {@code /}.
 * <ul>
 * <li>{@code index.html} for {@code /} and every client-side route of the app ({@link #CLIENT_ROUTES}),
 * never cached ({@code no-cache}), with a Content-Security-Policy that allows only the app's own scripts,
 * styles, fonts and API calls;</li>
 * <li>{@code /assets/**}: the build's content-hashed files, cached for a year as immutable;</li>
 * <li>{@code /*.svg}: the icon, cached for an hour.</li>
 * </ul>
 * These are router functions: they run before the gateway's routes and never reach the authentication or
 * rate-limit filters, which apply to routed API requests only. Any other path is still 404 {@code NOT_FOUND}.
 */
@Configuration(proxyBeanMethods = false)
class WebAppConfiguration {

    static final String LOCATION = "couponhub-web/";

    /** The app's pages (web/src/App.tsx); a reload or a shared link on any of them gets index.html. */
    static final List<String> CLIENT_ROUTES = List.of("/", "/login", "/signup", "/coupons/{id}", "/stores",
            "/stores/{id}", "/following", "/inbox", "/my/coupons", "/owner/stores", "/owner/publish",
            "/owner/counter", "/owner/stats", "/owner/coupons/{id}/issued", "/owner/stores/{id}/api-keys",
            "/admin/overview");

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "font-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private static final Logger log = LoggerFactory.getLogger(WebAppConfiguration.class);

    private static final CacheControl HASHED_ASSET = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();
    private static final CacheControl ICON = CacheControl.maxAge(Duration.ofHours(1)).cachePublic();

    @Bean
    RouterFunction<ServerResponse> webApp() {
        byte[] index = indexHtml();
        RequestPredicate pages = RequestPredicates.methods(HttpMethod.GET, HttpMethod.HEAD)
                .and(CLIENT_ROUTES.stream()
                        .map(RequestPredicates::path)
                        .reduce(RequestPredicate::or)
                        .orElseThrow());
        return RouterFunctions.route(pages, request -> {
                    if (index == null) {
                        return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
                    }
                    return ServerResponse.ok()
                            .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                            .cacheControl(CacheControl.noCache())
                            .headers(WebAppConfiguration::pageHeaders)
                            .bodyValue(index);
                })
                .and(RouterFunctions.resources("/assets/**", new ClassPathResource(LOCATION + "assets/"),
                        (resource, headers) -> assetHeaders(headers, HASHED_ASSET)))
                .and(RouterFunctions.resources("/*.svg", new ClassPathResource(LOCATION),
                        (resource, headers) -> assetHeaders(headers, ICON)));
    }

    private static void pageHeaders(HttpHeaders headers) {
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "same-origin");
        headers.set("X-Frame-Options", "DENY");
    }

    private static void assetHeaders(HttpHeaders headers, CacheControl cacheControl) {
        headers.setCacheControl(cacheControl);
        headers.set("X-Content-Type-Options", "nosniff");
    }

    private static byte[] indexHtml() {
        Resource resource = new ClassPathResource(LOCATION + "index.html");
        if (!resource.exists()) {
            log.warn("The web app is not on the class path ({}index.html): / answers 404", LOCATION);
            return null;
        }
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot read the web app's index.html", e);
        }
    }
}
