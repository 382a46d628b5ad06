package dev.couponhub.ops.searchreindex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.ops.InvalidConfigurationException;
import dev.couponhub.ops.OpsTask;
import dev.couponhub.ops.searchreindex.SearchReindexProperties.Retry;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code search-reindex}: asks coupon-service for a full rebuild of its search index, {@code POST
 * /actuator/searchreindex} on the service's own port, which queues every coupon for indexing and answers
 * {@code {"queued": n}} (coupon-service's {@code SearchReindexEndpoint}). While coupon-service is still starting (no
 * connection, a timeout, a 5xx answer) it tries again after a delay, up to the configured number of attempts; any other
 * answer fails at once. Repeating the call is harmless: it only queues every coupon again.
 */
@Component
class SearchReindexTask implements OpsTask {

    static final String PATH = "/actuator/searchreindex";

    private static final Logger log = LoggerFactory.getLogger(SearchReindexTask.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SearchReindexProperties properties;

    SearchReindexTask(SearchReindexProperties properties) {
        this.properties = properties;
    }

    @Override
    public String command() {
        return "search-reindex";
    }

    @Override
    public void run() throws InterruptedException {
        URI endpoint = endpoint(properties.couponServiceUrl());
        Retry retry = properties.searchReindex();
        if (retry.attempts() < 1 || retry.retryDelay().isNegative() || retry.timeout().isNegative()
                || retry.timeout().isZero()) {
            throw new InvalidConfigurationException("couponhub.ops.search-reindex: attempts must be at least 1, "
                    + "retry-delay not negative and timeout positive");
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(retry.timeout())
                .build();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(retry.timeout())
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        String lastProblem = "";
        for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
            if (attempt > 1) {
                Thread.sleep(retry.retryDelay().toMillis());
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    log.info("POST {}: {}, {}", endpoint, status, describe(response.body()));
                    return;
                }
                lastProblem = "answered " + status + " " + shorten(response.body());
                if (status < 500) {
                    throw new IllegalStateException("POST " + endpoint + " " + lastProblem);
                }
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            log.warn("POST {}, attempt {} of {}: {}{}", endpoint, attempt, retry.attempts(), lastProblem,
                    attempt < retry.attempts() ? "; trying again in " + retry.retryDelay().toMillis() + " ms" : "");
        }
        throw new IllegalStateException("POST " + endpoint + " failed " + retry.attempts() + " times, last: "
                + lastProblem);
    }

    private static URI endpoint(String couponServiceUrl) {
        if (couponServiceUrl == null || couponServiceUrl.isBlank()) {
            throw new InvalidConfigurationException(
                    "COUPONHUB_OPS_COUPON_SERVICE_URL (couponhub.ops.coupon-service-url) is required");
        }
        URI base;
        try {
            base = new URI(couponServiceUrl.replaceAll("/+$", ""));
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException("couponhub.ops.coupon-service-url is not a URL: " + e.getMessage());
        }
        if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null
                || base.getQuery() != null || base.getFragment() != null || base.getUserInfo() != null) {
            throw new InvalidConfigurationException("couponhub.ops.coupon-service-url must be http(s)://host[:port], "
                    + "was " + couponServiceUrl);
        }
        return URI.create(base + PATH);
    }

    /** {@code {"queued": n}}: how many coupons were queued; anything else as it came (shortened). */
    private static String describe(String body) {
        try {
            JsonNode queued = JSON.readTree(body).path("queued");
            if (queued.isNumber()) {
                return queued.asLong() + " coupons queued for the search index";
            }
        } catch (IOException | RuntimeException e) {
            // not the JSON coupon-service answers; shown as it is
        }
        return shorten(body);
    }

    private static String shorten(String body) {
        String text = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
