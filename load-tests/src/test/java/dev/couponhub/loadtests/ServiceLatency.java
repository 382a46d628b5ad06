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
 * set beside what the load generator saw through the gateway; and the same for each stage of a claim
 * ({@code couponhub_claims_stage_seconds}, tagged {@code stage}: gate, queue, write, confirm). Quantiles are
 * interpolated inside the buckets, as Prometheus's {@code histogram_quantile} does.
 */
final class ServiceLatency {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    /** The stages in the order a claim passes them. */
    static final java.util.List<String> STAGES = java.util.List.of("gate", "queue", "write", "confirm");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Cumulative counts by upper bound in seconds ({@code +Inf} as infinity) of the whole claim, and of each stage by
     * its name; empty if the endpoint did not answer.
     */
    record Snapshot(TreeMap<Double, Double> buckets, Map<String, TreeMap<Double, Double>> stages) {
        Snapshot(TreeMap<Double, Double> buckets) {
            this(buckets, Map.of());
        }
    }

    private final URI metrics;

    ServiceLatency(String metricsUrl) {
        this.metrics = URI.create(metricsUrl);
    }

    Snapshot snapshot() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? new Snapshot(parse(response.body()), parseStages(response.body()))
                    : new Snapshot(new TreeMap<>());
        } catch (java.io.IOException | RuntimeException e) {
            return new Snapshot(new TreeMap<>());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Snapshot(new TreeMap<>());
        }
    }

    static TreeMap<Double, Double> parse(String exposition) {
        return histograms(exposition, "couponhub_claims_seconds", null).getOrDefault("", new TreeMap<>());
    }

    /** Each stage's cumulative bucket counts, by the value of its {@code stage} label. */
    static Map<String, TreeMap<Double, Double>> parseStages(String exposition) {
        return histograms(exposition, "couponhub_claims_stage_seconds", "stage");
    }

    /**
     * The cumulative bucket counts of a Prometheus histogram, summed over its series by the value of one label
     * ({@code ""} for all of them when {@code byLabel} is null).
     */
    private static Map<String, TreeMap<Double, Double>> histograms(String exposition, String metric, String byLabel) {
        Map<String, TreeMap<Double, Double>> histograms = new TreeMap<>();
        Matcher bucket = Pattern.compile("^" + Pattern.quote(metric + "_bucket") + "\\{([^}]*)}\\s+([0-9.eE+-]+)",
                Pattern.MULTILINE).matcher(exposition);
        while (bucket.find()) {
            String key = byLabel == null ? "" : null;
            String le = null;
            Matcher label = LABEL.matcher(bucket.group(1));
            while (label.find()) {
                if (label.group(1).equals("le")) {
                    le = label.group(2);
                } else if (label.group(1).equals(byLabel)) {
                    key = label.group(2);
                }
            }
            if (key == null || le == null) {
                continue;
            }
            double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            histograms.computeIfAbsent(key, name -> new TreeMap<>())
                    .merge(bound, Double.parseDouble(bucket.group(2)), Double::sum);
        }
        return histograms;
    }

    /** What a phase added to each bucket: the counts at its end less those at its start. */
    private static TreeMap<Double, Double> delta(TreeMap<Double, Double> start, TreeMap<Double, Double> end) {
        TreeMap<Double, Double> delta = new TreeMap<>();
        end.forEach((bound, count) -> delta.put(bound, count - start.getOrDefault(bound, 0.0)));
        return delta;
    }

    /**
     * One line: p50, p99 and the count of each stage in the phase, in the order a claim passes them, or an empty
     * string when the service has no stage timers.
     */
    static String stagesLine(String phase, Snapshot start, Snapshot end) {
        if (start == null || end.stages().isEmpty()) {
            return "";
        }
        StringBuilder line = new StringBuilder(phase).append(": stages inside coupon-service (p50 / p99 ms, count):");
        for (String stage : STAGES) {
            TreeMap<Double, Double> atEnd = end.stages().get(stage);
            if (atEnd == null) {
                continue;
            }
            TreeMap<Double, Double> delta = delta(start.stages().getOrDefault(stage, new TreeMap<>()), atEnd);
            double total = delta.lastEntry().getValue();
            line.append(' ').append(stage).append(' ');
            line.append(total <= 0 ? "-" : ms(quantile(delta, 0.50)) + " / " + ms(quantile(delta, 0.99)) + ", "
                    + Math.round(total));
            line.append(';');
        }
        line.setLength(line.length() - 1);
        return line.toString();
    }

    /** One line: the phase's p50, p95 and p99 inside coupon-service, or why there is none. */
    static String line(String phase, Snapshot start, Snapshot end) {
        if (start == null || start.buckets().isEmpty() || end.buckets().isEmpty()) {
            return phase + ": coupon-service's own claim time not available (no couponhub_claims_seconds_bucket at "
                    + "-DcouponMetricsUrl)";
        }
        TreeMap<Double, Double> delta = delta(start.buckets(), end.buckets());
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
        if (seconds * 1000 < 1) {
            return String.format("%.2f", seconds * 1000);
        }
        return seconds * 1000 < 10 ? String.format("%.1f", seconds * 1000) : String.valueOf(Math.round(seconds * 1000));
    }
}
