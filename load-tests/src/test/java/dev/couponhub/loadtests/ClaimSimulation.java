package dev.couponhub.loadtests;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.holdFor;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.reachRps;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * First come, first served claims through the gateway.
 *
 * <p>Setup (not measured) creates an owner, a store, a warm-up coupon and a measured coupon of {@code stock} units, and
 * logs in {@code users} shoppers. Then {@code connections} virtual users claim back to back (closed model, tokens
 * taken round robin so each shopper stays far below the gateway's per-user rate limit; {@code rate} optionally caps
 * requests per second): first the warm-up coupon for {@code warmUpSeconds}, then the measured coupon for
 * {@code durationSeconds}. Every 201 must be in MySQL, exactly
 * min(stock, demand) units issued, nobody over {@code perUserLimit}; otherwise the run fails.
 */
public class ClaimSimulation extends Simulation {

    private final BenchConfig config = BenchConfig.fromSystemProperties();
    private final BenchSetup.Fixture fixture;
    private final PhaseStats warmUp;
    private final PhaseStats measured;
    private final ProcessCpu cpu;
    private final ServiceLatency latency;
    private final ConsumerCheck consumers;
    private final StockViewers viewers;

    public ClaimSimulation() {
        System.out.printf("config: baseUrl %s, users %d, stock %d, perUserLimit %d, rate %d/s, connections %d,"
                        + " warm-up %d s, measured %d s%n", config.baseUrl(), config.users(), config.stock(),
                config.perUserLimit(), config.rate(), config.connections(), config.warmUp().toSeconds(),
                config.duration().toSeconds());
        System.out.printf("machine: %d cores, load average %s (before setup)%n",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        try {
            fixture = new BenchSetup(config).run();
        } catch (Exception e) {
            throw new IllegalStateException("benchmark setup failed", e);
        }
        try {
            consumers = config.checkConsumers() ? ConsumerCheck.start(config) : null;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the consumers' tables", e);
        }
        int viewerCount = Integer.getInteger("viewers", 0);
        try {
            viewers = viewerCount > 0 ? StockViewers.open(System.getProperty("viewersUrl", config.baseUrl()),
                    fixture.measuredCouponId(), fixture.shoppers(), viewerCount) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the stock viewers", e);
        }
        cpu = ProcessCpu.discover(config.runDir());
        latency = new ServiceLatency(config.couponMetricsUrl());
        warmUp = new PhaseStats("warm-up", config.users());
        measured = new PhaseStats("measured", config.users());

        HttpProtocolBuilder protocol = http.baseUrl(config.baseUrl())
                .acceptHeader("application/json")
                .warmUp(config.baseUrl() + "/actuator/health");

        // closed model: `connections` virtual users, each on its own keep-alive connection, claim back to back;
        // `rate` (when > 0) caps the requests per second of the whole run
        List<PopulationBuilder> phases = new ArrayList<>();
        if (!config.warmUp().isZero()) {
            phases.add(claims("claim warm-up", fixture.warmUpCouponId(), warmUp, config.warmUp())
                    .injectClosed(constantConcurrentUsers(config.connections()).during(Duration.ofSeconds(1))));
        }
        phases.add(claims("claim measured", fixture.measuredCouponId(), measured, config.duration())
                .injectClosed(constantConcurrentUsers(config.connections()).during(Duration.ofSeconds(1))));

        PopulationBuilder chain = phases.get(0);
        if (phases.size() > 1) {
            chain = chain.andThen(phases.get(1));
        }
        SetUp setUp = setUp(chain).protocols(protocol);
        if (config.rate() > 0) {
            Duration total = config.warmUp().plus(config.duration()).plusSeconds(30);
            setUp.throttle(reachRps(config.rate()).in(Duration.ofSeconds(10)), holdFor(total));
        }
    }

    private ScenarioBuilder claims(String name, long couponId, PhaseStats stats, Duration length) {
        // exitASAP=false: a claim whose answer arrived is always recorded, even when the phase ends meanwhile
        return scenario(name).during(length, false).on(
                feed(shoppers()),
                exec(http(name)
                        .post("/api/v1/coupons/" + couponId + "/claim")
                        .header("Authorization", "Bearer #{token}")
                        .check(
                                status().saveAs("status"),
                                responseTimeInMillis().saveAs("rt"),
                                jsonPath("$.id").ofLong().optional().saveAs("issuedId"),
                                jsonPath("$.code").optional().saveAs("code"),
                                status().in(201, 409))
                        .checkIf((response, session) -> response.status().code() == 409)
                        .then(jsonPath("$.code").in("SOLD_OUT", "CLAIM_LIMIT_REACHED"))),
                exec(session -> {
                    stats.markStart(cpu, latency);
                    int rt = session.contains("rt") ? session.getInt("rt") : 0;
                    stats.record(session.getInt("user"),
                            session.contains("status") ? session.getInt("status") : -1,
                            session.contains("code") ? session.getString("code") : null,
                            session.contains("issuedId") ? session.getLong("issuedId") : null,
                            rt, System.nanoTime() - rt * 1_000_000L);
                    return session;
                }));
    }

    private static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Endless round robin over the logged-in shoppers. */
    private Iterator<Map<String, Object>> shoppers() {
        List<BenchSetup.Shopper> all = fixture.shoppers();
        AtomicLong next = new AtomicLong();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                BenchSetup.Shopper shopper = all.get((int) (next.getAndIncrement() % all.size()));
                return Map.of("user", shopper.index(), "token", shopper.token());
            }
        };
    }

    @Override
    public void after() {
        ProcessCpu.Snapshot end = cpu.snapshot();
        ServiceLatency.Snapshot latencyAtEnd = latency.snapshot();
        System.out.println("=== Couponhub claim benchmark ===");
        System.out.println(warmUp.summary());
        System.out.println(measured.summary());
        System.out.println(ServiceLatency.line("measured", measured.latencyAtStart, latencyAtEnd));
        String stages = ServiceLatency.stagesLine("measured", measured.latencyAtStart, latencyAtEnd);
        if (!stages.isEmpty()) {
            System.out.println(stages);
        }
        // the warm-up ends where the measured phase starts
        ProcessCpu.Snapshot warmUpEnd = measured.cpuAtStart.get() != null ? measured.cpuAtStart.get() : end;
        if (warmUp.cpuAtStart.get() != null) {
            System.out.print(ProcessCpu.table("warm-up", warmUp.cpuAtStart.get(), warmUpEnd, warmUp.created.sum()));
        }
        if (measured.cpuAtStart.get() != null) {
            System.out.print(ProcessCpu.table("measured", measured.cpuAtStart.get(), end, measured.created.sum()));
        }
        List<String> failures = new ArrayList<>();
        if (viewers != null) {
            long events = viewers.events.sum();
            System.out.printf("viewers: %,d live stock streams of the measured coupon (%d failed to open), %,d stock "
                            + "events received, %.1f per viewer (the first at once, then at most 4 a second)%n",
                    viewers.connected(), viewers.failed(), events, events / (double) Math.max(1, viewers.connected()));
            viewers.close();
        }
        try {
            failures.addAll(Verification.verify(config, fixture.measuredCouponId(), measured));
            if (consumers != null) {
                failures.addAll(consumers.verify(fixture.measuredCouponId()));
            } else {
                System.out.println("consumers: not checked (-DcheckConsumers=false)");
            }
        } catch (Exception e) {
            throw new IllegalStateException("verification could not run: " + e.getMessage(), e);
        }
        if (!failures.isEmpty()) {
            failures.forEach(failure -> System.out.println("VERIFICATION FAILED: " + failure));
            throw new IllegalStateException("verification failed: " + String.join("; ", failures));
        }
        System.out.println("VERIFICATION PASSED");
    }
}
