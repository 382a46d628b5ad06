package dev.couponhub.loadtests;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** What one phase's claims answered, recorded from Gatling's session hooks (thread-safe). */
final class PhaseStats {

    private static final int MAX_MS = 60_000;
    /** Claims are also counted per 10 s of the phase, to show whether the suite was still warming up. */
    private static final long BUCKET_NANOS = 10_000_000_000L;
    private static final int BUCKETS = 360;

    final String name;
    final LongAdder requests = new LongAdder();
    final LongAdder created = new LongAdder();
    final LongAdder soldOut = new LongAdder();
    final LongAdder limitReached = new LongAdder();
    final LongAdder other = new LongAdder();
    final Queue<Long> issuedIds = new ConcurrentLinkedQueue<>();
    final AtomicIntegerArray attemptsPerUser;
    final AtomicIntegerArray createdPerUser;
    private final AtomicLongArray latencyHistogram = new AtomicLongArray(MAX_MS + 1);
    private final AtomicIntegerArray createdPerBucket = new AtomicIntegerArray(BUCKETS);
    private final AtomicLong startNanos = new AtomicLong();
    final AtomicLong firstRequestNanos = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastCreatedNanos = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong lastRequestNanos = new AtomicLong(Long.MIN_VALUE);
    /** The suite's CPU times when this phase's first answer came (the phase's start, to a few milliseconds). */
    final AtomicReference<ProcessCpu.Snapshot> cpuAtStart = new AtomicReference<>();
    /** coupon-service's claim-time histogram at the phase's start. */
    volatile ServiceLatency.Snapshot latencyAtStart;

    PhaseStats(String name, int users) {
        this.name = name;
        this.attemptsPerUser = new AtomicIntegerArray(users);
        this.createdPerUser = new AtomicIntegerArray(users);
    }

    /** Takes the CPU and claim-time snapshots of the phase's start, once. */
    void markStart(ProcessCpu cpu, ServiceLatency latency) {
        if (cpuAtStart.get() == null) {
            synchronized (cpuAtStart) {
                if (cpuAtStart.get() == null) {
                    latencyAtStart = latency.snapshot();
                    cpuAtStart.set(cpu.snapshot());
                }
            }
        }
    }

    void record(int user, int status, String code, Long issuedId, int responseTimeMs, long sentNanos) {
        long now = System.nanoTime();
        startNanos.compareAndSet(0, now);
        requests.increment();
        attemptsPerUser.incrementAndGet(user);
        firstRequestNanos.accumulateAndGet(sentNanos, Math::min);
        lastRequestNanos.accumulateAndGet(now, Math::max);
        latencyHistogram.incrementAndGet(Math.max(0, Math.min(MAX_MS, responseTimeMs)));
        if (status == 201 && issuedId != null) {
            created.increment();
            createdPerUser.incrementAndGet(user);
            issuedIds.add(issuedId);
            lastCreatedNanos.accumulateAndGet(now, Math::max);
            createdPerBucket.incrementAndGet((int) Math.min(BUCKETS - 1, (now - startNanos.get()) / BUCKET_NANOS));
        } else if (status == 409 && "SOLD_OUT".equals(code)) {
            soldOut.increment();
        } else if (status == 409 && "CLAIM_LIMIT_REACHED".equals(code)) {
            limitReached.increment();
        } else {
            other.increment();
        }
    }

    long percentileMs(double percentile) {
        long total = 0;
        for (int i = 0; i <= MAX_MS; i++) {
            total += latencyHistogram.get(i);
        }
        long rank = (long) Math.ceil(total * percentile / 100.0);
        long seen = 0;
        for (int i = 0; i <= MAX_MS; i++) {
            seen += latencyHistogram.get(i);
            if (seen >= rank && seen > 0) {
                return i;
            }
        }
        return 0;
    }

    /** Claims a user could still have been granted: each user's attempts, capped by the per-user limit. */
    long demand(int perUserLimit) {
        long demand = 0;
        for (int i = 0; i < attemptsPerUser.length(); i++) {
            demand += Math.min(attemptsPerUser.get(i), perUserLimit);
        }
        return demand;
    }

    String summary() {
        if (requests.sum() == 0) {
            return name + ": no requests";
        }
        double seconds = (lastRequestNanos.get() - firstRequestNanos.get()) / 1e9;
        double createdSeconds = created.sum() == 0 ? 0 : (lastCreatedNanos.get() - firstRequestNanos.get()) / 1e9;
        return String.format(
                "%s: %d requests in %.1f s = %.0f req/s; 201 %d (%.0f claims/s over the %.1f s until the last 201),"
                        + " 409 SOLD_OUT %d, 409 CLAIM_LIMIT_REACHED %d, other %d; response time p50 %d ms,"
                        + " p95 %d ms, p99 %d ms, max %d ms",
                name, requests.sum(), seconds, requests.sum() / seconds, created.sum(),
                createdSeconds == 0 ? 0 : created.sum() / createdSeconds, createdSeconds, soldOut.sum(),
                limitReached.sum(), other.sum(), percentileMs(50), percentileMs(95), percentileMs(99),
                percentileMs(100))
                + String.format("%n%s: claims/s per 10 s: %s", name, perBucket(createdSeconds));
    }

    /** Claims per second in each whole 10 s of the phase. */
    private String perBucket(double createdSeconds) {
        StringBuilder rates = new StringBuilder();
        int buckets = (int) Math.min(BUCKETS, Math.floor(createdSeconds / 10));
        for (int i = 0; i < buckets; i++) {
            rates.append(i == 0 ? "" : " ").append(Math.round(createdPerBucket.get(i) / 10.0));
        }
        return rates.toString();
    }
}
