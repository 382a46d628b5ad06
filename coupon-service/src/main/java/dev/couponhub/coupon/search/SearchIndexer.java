package dev.couponhub.coupon.search;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.couponhub.coupon.config.SearchProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the search documents of the coupons requested in {@code search_sync} to Elasticsearch, on its own thread
 * every {@code couponhub.search.indexer.interval}. One run reads a batch of due rows (no lock is held while
 * Elasticsearch is called), loads those coupons, writes them in one bulk request and deletes each row whose
 * {@code requested_at} is still the value it read. A coupon whose write failed keeps its row with a back-off and is
 * retried until it succeeds. Several instances may run it: documents carry {@code requested_at} as their external
 * version, so a slower run never overwrites a newer document.
 */
@Component
public class SearchIndexer implements SmartLifecycle {

    /** A run that finds a full batch goes on at once, up to this many batches. */
    static final int MAX_BATCHES_PER_RUN = 20;

    private static final Logger log = LoggerFactory.getLogger(SearchIndexer.class);

    private final JdbcTemplate jdbc;
    private final CouponRepository coupons;
    private final CouponIndex index;
    private final KoreanAnalysis analysis;
    private final SearchSync sync;
    private final SearchProperties.Indexer properties;
    private final TransactionTemplate readTx;
    private final Clock clock;
    private volatile ScheduledExecutorService executor;
    private volatile boolean indexChecked;
    private volatile boolean failing;

    SearchIndexer(JdbcTemplate jdbc, CouponRepository coupons, CouponIndex index, KoreanAnalysis analysis,
                  SearchSync sync, SearchProperties properties, PlatformTransactionManager transactionManager,
                  Clock clock) {
        this.jdbc = jdbc;
        this.coupons = coupons;
        this.index = index;
        this.analysis = analysis;
        this.sync = sync;
        this.properties = properties.indexer();
        this.readTx = new TransactionTemplate(transactionManager);
        this.readTx.setReadOnly(true);
        this.clock = clock;
    }

    @Override
    public void start() {
        if (!properties.enabled() || executor != null) {
            return;
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "search-indexer");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::runScheduled, 0, properties.interval().toMillis(),
                TimeUnit.MILLISECONDS);
        executor = scheduler;
    }

    @Override
    public void stop() {
        ScheduledExecutorService scheduler = executor;
        executor = null;
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    /**
     * Creates the index if it is missing (deleted, or a new index name); then every coupon is queued, not only those
     * changed since.
     */
    private void ensureIndex() throws IOException {
        if (index.ensureExists()) {
            log.info("Search index {} created: every coupon queued for indexing ({})", index.name(),
                    sync.everything());
        }
    }

    /** For the scheduler: creates the index if missing, then drains full batches; reports trouble once. */
    void runScheduled() {
        try {
            if (!indexChecked) {
                ensureIndex();
                indexChecked = true;
            }
            for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
                if (indexOnce().claimed() < properties.batchSize()) {
                    break;
                }
            }
        } catch (Exception e) {
            report("indexer run failed", e);
        }
    }

    /** How one run went. */
    record Outcome(int claimed, int indexed) {
    }

    /** One run over at most one batch of due rows. */
    public Outcome indexOnce() {
        LocalDateTime now = now();
        List<Due> due = jdbc.query("SELECT coupon_id, requested_at, attempts FROM search_sync "
                        + "WHERE next_attempt_at <= ? ORDER BY next_attempt_at, coupon_id LIMIT ?",
                (rs, row) -> new Due(rs.getLong(1), rs.getObject(2, LocalDateTime.class), rs.getInt(3)),
                now, properties.batchSize());
        if (due.isEmpty()) {
            return new Outcome(0, 0);
        }
        Map<Long, CouponIndex.Versioned> documents = new HashMap<>();
        Map<Long, Long> deletions = new HashMap<>();
        readTx.executeWithoutResult(status -> {
            Map<Long, Coupon> found = new HashMap<>();
            coupons.findAllWithStore(due.stream().map(Due::couponId).toList())
                    .forEach(coupon -> found.put(coupon.id(), coupon));
            for (Due row : due) {
                Coupon coupon = found.get(row.couponId());
                if (coupon == null) {
                    deletions.put(row.couponId(), row.version());
                } else {
                    documents.put(row.couponId(), new CouponIndex.Versioned(CouponDocument.of(coupon, analysis), row.version()));
                }
            }
        });
        Set<Long> done;
        try {
            ensureIndex(); // re-created with its mapping if someone deleted it
            done = index.write(documents, deletions);
        } catch (Exception e) {
            report(due.size() + " coupons stay queued and are retried with back-off", e);
            done = Set.of();
        }
        List<Object[]> indexed = new ArrayList<>();
        List<Object[]> failed = new ArrayList<>();
        for (Due row : due) {
            if (done.contains(row.couponId())) {
                indexed.add(new Object[] {row.couponId(), row.requestedAt()});
            } else {
                failed.add(new Object[] {now.plus(backoff(row.attempts())), row.couponId(), row.requestedAt()});
            }
        }
        if (!indexed.isEmpty()) {
            jdbc.batchUpdate("DELETE FROM search_sync WHERE coupon_id = ? AND requested_at = ?", indexed);
        }
        if (!failed.isEmpty()) {
            jdbc.batchUpdate("UPDATE search_sync SET attempts = attempts + 1, next_attempt_at = ? "
                    + "WHERE coupon_id = ? AND requested_at = ?", failed);
        } else if (failing) {
            log.info("Search indexer recovered");
            failing = false;
        }
        return new Outcome(due.size(), indexed.size());
    }

    /** {@code initialBackoff * 2^attempts}, at most {@code maxBackoff}. */
    Duration backoff(int attempts) {
        Duration wait = properties.initialBackoff();
        for (int i = 0; i < attempts && wait.compareTo(properties.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : wait;
    }

    private void report(String what, Exception e) {
        if (!failing) {
            log.warn("Search indexer: {}: {}", what, e.toString());
            failing = true;
        } else {
            log.debug("Search indexer still failing: {}: {}", what, e.toString());
        }
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    /** A due row; its {@code requested_at} in microseconds is the version its document is written with. */
    private record Due(long couponId, LocalDateTime requestedAt, int attempts) {

        long version() {
            return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), requestedAt);
        }
    }
}
