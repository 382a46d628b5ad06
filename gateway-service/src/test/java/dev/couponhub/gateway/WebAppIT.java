package dev.couponhub.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.couponhub.gateway.testing.TestBackend;
import dev.couponhub.gateway.testing.TestSigningKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app (module {@code web}) served by the gateway at {@code /}, next to the API: pages, hashed
 * assets and the bundled Korean font, with their cache and security headers; untouched by the token check
 * and the rate limit, while the API keeps both.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebAppIT {

    private static final TestBackend BACKEND = TestBackend.start();
    private static final TestSigningKey KEY = TestSigningKey.generate("key-1");
    private static final int ANONYMOUS_BURST = 3;
    private static final Pattern SCRIPT = Pattern.compile("<script type=\"module\" crossorigin src=\"(/assets/[^\"]+\\.js)\"");
    private static final Pattern STYLESHEET = Pattern.compile("<link rel=\"stylesheet\" crossorigin href=\"(/assets/[^\"]+\\.css)\"");
    private static final Pattern FONT = Pattern.compile("url\\((/assets/noto-sans-kr-[^)]+\\.woff2)\\)");

    private WebTestClient client;

    @LocalServerPort
    private int port;

    @BeforeEach
    void clientForTheRunningGateway() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKEND.publishKeys(KEY);
        for (String service : List.of("user", "store", "coupon", "notification", "batch", "ai")) {
            registry.add("couponhub.gateway.services." + service, () -> BACKEND.uri().toString());
        }
        registry.add("couponhub.gateway.jwt.jwks-uri", () -> BACKEND.jwksUri().toString());
        registry.add("couponhub.gateway.rate-limit.anonymous.replenish-rate", () -> 1);
        registry.add("couponhub.gateway.rate-limit.anonymous.burst-capacity", () -> ANONYMOUS_BURST);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    private EntityExchangeResult<byte[]> get(String path) {
        return client.get().uri(path).exchange().expectBody().returnResult();
    }

    private static String text(EntityExchangeResult<byte[]> result) {
        return new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in%n%s", pattern, text).isTrue();
        return matcher.group(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/login", "/coupons/12", "/stores/3", "/my/coupons", "/inbox", "/owner/stats",
            "/owner/coupons/7/issued", "/owner/stores/7/api-keys", "/admin/overview", "/owner/counter",
            "/?q=%EC%BB%A4%ED%94%BC&mode=search"})
    void appRoutesThenIndexHtmlNeverCachedWithContentSecurityPolicy(String path) {
        EntityExchangeResult<byte[]> page = get(path);

        assertThat(page.getStatus()).isEqualTo(HttpStatus.OK);
        HttpHeaders headers = page.getResponseHeaders();
        assertThat(headers.getContentType()).isEqualTo(MediaType.parseMediaType("text/html;charset=UTF-8"));
        assertThat(headers.getCacheControl()).isEqualTo("no-cache");
        assertThat(headers.getFirst("Content-Security-Policy"))
                .contains("default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(text(page)).contains("<div id=\"root\"></div>").containsPattern(SCRIPT.pattern());
    }

    @Test
    void headOnTheAppThenOkWithoutBody() {
        client.head().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/html;charset=UTF-8")
                .expectBody().isEmpty();
    }

    @Test
    void hashedScriptStylesheetAndKoreanFontThenCachedForAYearAsImmutable() {
        String index = text(get("/"));
        String script = first(SCRIPT, index);
        String stylesheet = first(STYLESHEET, index);

        EntityExchangeResult<byte[]> js = get(script);
        EntityExchangeResult<byte[]> css = get(stylesheet);
        String font = first(FONT, text(css));
        EntityExchangeResult<byte[]> woff2 = get(font);

        assertThat(js.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(js.getResponseHeaders().getContentType().toString()).contains("javascript");
        assertThat(css.getResponseHeaders().getContentType().toString()).startsWith("text/css");
        assertThat(woff2.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(woff2.getResponseHeaders().getContentType().toString()).isEqualTo("font/woff2");
        for (EntityExchangeResult<byte[]> asset : List.of(js, css, woff2)) {
            assertThat(asset.getResponseHeaders().getCacheControl()).isEqualTo("max-age=31536000, public, immutable");
            assertThat(asset.getResponseHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        // the Korean font comes in unicode-range subsets, woff2 only
        assertThat(text(css)).contains("unicode-range").doesNotContain(".woff)");
    }

    @Test
    void iconThenServed() {
        EntityExchangeResult<byte[]> icon = get("/favicon.svg");

        assertThat(icon.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(icon.getResponseHeaders().getContentType()).isEqualTo(MediaType.valueOf("image/svg+xml"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/assets/missing-0000.js", "/assets", "/coupons", "/coupons/1/extra", "/owner",
            "/index.html.bak", "/nothing/here", "/api/v1/unknown", "/couponhub-web/index.html"})
    void pathsOutsideTheAppAndItsAssetsThenNotFoundProblem(String path) {
        EntityExchangeResult<byte[]> result = get(path);

        assertThat(result.getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(text(result)).contains("\"code\":\"NOT_FOUND\"");
    }

    @Test
    void pathTricksOnAssetsThenRejectedByThePathGuard() {
        for (String path : List.of("/assets/..%2f..%2fapplication.yml", "/assets/%2e%2e/index.html")) {
            EntityExchangeResult<byte[]> result = get(path);
            assertThat(result.getStatus()).as(path).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(text(result)).contains("\"code\":\"VALIDATION_FAILED\"");
        }
    }

    @Test
    void pagesAndAssetsNeedNoTokenIgnoreABadOneAndAreNotRateLimited() {
        String script = first(SCRIPT, text(get("/")));
        for (int i = 0; i < ANONYMOUS_BURST * 4; i++) {
            client.get().uri("/coupons/" + i).header(HttpHeaders.AUTHORIZATION, "Bearer garbage").exchange()
                    .expectStatus().isOk();
            client.get().uri(script).exchange().expectStatus().isOk();
        }
    }

    @Test
    void apiKeepsItsTokenCheckAndRateLimitNextToTheApp() {
        client.get().uri("/api/v1/users/me").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < ANONYMOUS_BURST * 4; i++) {
            statuses.add(client.get().uri("/api/v1/coupons").exchange().returnResult(byte[].class).getStatus().value());
        }
        assertThat(statuses).contains(429);
    }

    @Test
    void swaggerUiAndHealthStillServed() {
        client.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        client.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }
}
