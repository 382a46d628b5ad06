package dev.couponhub.loadtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * coupon-service's own time per claim answered 201 (its {@code couponhub_claims_seconds} histogram, read from its
 * Prometheus endpoint at the start and at the end of a phase): the part of the latency spent inside coupon-service, to
 * set beside what the load generator saw through the gateway. Quantiles are interpolated inside the buckets, as
 * Prometheus's {@code histogram_quantile} does.
 */
final class ServiceLatency {

    private static final Pattern BUCKET = Pattern.compile(
            "^couponhub_claims_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*}\\s+([0-9.eE+-]+)", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Cumulative counts by upper bound in seconds ({@code +Inf} as infinity); empty if the endpoint did not answer. */
    record Snapshot(TreeMap<Double, Double> buckets) {
    }

    private final URI metrics;

    ServiceLatency(String metricsUrl) {
        this.metrics = URI.create(metricsUrl);
    }

    Snapshot snapshot() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Snapshot(response.statusCode() == 200 ? parse(response.body()) : new TreeMap<>());
        } catch (java.io.IOException | RuntimeException e) {
            return new Snapshot(new TreeMap<>());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Snapshot(new TreeMap<>());
        }
    }

    static TreeMap<Double, Double> parse(String exposition) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        Matcher matcher = BUCKET.matcher(exposition);
        while (matcher.find()) {
            double bound = "+Inf".equals(matcher.group(1)) ? Double.POSITIVE_INFINITY
                    : Double.parseDouble(matcher.group(1));
            buckets.merge(bound, Double.parseDouble(matcher.group(2)), Double::sum);
        }
        return buckets;
    }

    /** One line: the phase's p50, p95 and p99 inside coupon-service, or why there is none. */
    static String line(String phase, Snapshot start, Snapshot end) {
        if (start == null || start.buckets().isEmpty() || end.buckets().isEmpty()) {
            return phase + ": coupon-service's own claim time not available (no couponhub_claims_seconds_bucket at "
                    + "-DcouponMetricsUrl)";
        }
        TreeMap<Double, Double> delta = new TreeMap<>();
        end.buckets().forEach((bound, count) -> delta.put(bound, count - start.buckets().getOrDefault(bound, 0.0)));
        double total = delta.lastEntry().getValue();
        if (total <= 0) {
            return phase + ": coupon-service answered no claim 201 in this phase";
        }
        return String.format("%s: inside coupon-service (its own timer, %d claims): p50 %s / p95 %s / p99 %s ms",
                phase, Math.round(total), ms(quantile(delta, 0.50)), ms(quantile(delta, 0.95)),
                ms(quantile(delta, 0.99)));
    }

    /** The q-quantile of cumulative bucket counts, interpolated linearly inside its bucket. */
    static double quantile(TreeMap<Double, Double> cumulative, double q) {
        double rank = q * cumulative.lastEntry().getValue();
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound; // beyond the largest finite bound: the most that can be said
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0 ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    private static String ms(double seconds) {
        return seconds * 1000 < 10 ? String.format("%.1f", seconds * 1000) : String.valueOf(Math.round(seconds * 1000));
    }
}
