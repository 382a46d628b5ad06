package dev.couponhub.coupon.claim;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.mysql.cj.jdbc.JdbcConnection;
import dev.couponhub.coupon.config.ClaimProperties;
import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponRepository;
import dev.couponhub.coupon.events.CouponEvents;
import dev.couponhub.coupon.issued.IssuedCoupon;
import dev.couponhub.kit.outbox.Outbox;
import dev.couponhub.kit.tracing.TraceContexts;
import dev.couponhub.kit.outbox.OutboxEvent;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes issues to MySQL, one way for every claim: a batch of claims in one transaction, costing a handful of
 * statements whatever its size: per coupon one count guarded by {@link Claimability#COUNT_IF_CLAIMABLE}, one
 * multi-row insert of the issued rows, one query for their ids, one multi-row insert of their events.
 *
 * <p>With group commit on, claims are queued to one writer thread that writes a small batch (up to {@code batchSize}
 * claims that arrived within {@code batchWindow}) and completes each claim's future only after that transaction
 * committed: every 201 is still durable, but many claims share one commit. The committed units are confirmed to Redis
 * with one script call per coupon before the claims are answered. If a batch fails as a whole (a duplicate
 * key, a deadlock), each of its claims is written again as a batch of its own, so that one claim's problem is
 * answered to that claim only; a batch that fails for any other reason (MySQL down or slow) fails all its claims at
 * once, without further attempts. With group commit off, each claim is its own batch, written on the request's thread.
 * At most {@code maxPending} claims wait for the writer; beyond that a claim is refused at once with 503 rather than
 * queued for seconds.
 *
 * <p>Deadlines. A claim may be taken into a batch only within {@code writeTimeout} of its arrival: the writer takes
 * it (WAITING to COMMITTING) and its caller gives up on it (WAITING to ABANDONED) by compare-and-set, so exactly one
 * of them decides, and an abandoned claim is never written. A batch is taken only once its connection is held (the
 * pool's time-out does not eat into its claims' time). Its statements have {@code batchTimeout} (query time-outs);
 * a batch not ready by then is rolled back instead of committed.
 *
 * <p>Outcomes the writer chooses. Each batch is one XA transaction ({@code XA START}, its statements, {@code XA END},
 * {@code XA PREPARE}, {@code XA COMMIT}), so that a batch whose last statement gets no answer (the driver's socket
 * time-out: MySQL stalled or the connection was lost) still has an outcome decided at once, instead of a plain COMMIT
 * that may land any time after its claims were answered: PREPARE not acknowledged, the batch is rolled back (its
 * claims answered 503 at once, never issued, their units given back once MySQL confirms the rollback); PREPARE
 * acknowledged, it is committed (its claims answered 201, prepared being durable). {@link BatchSettler} carries the
 * decision out once MySQL answers again.
 */
@Component
class ClaimWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClaimWriter.class);
    private static final long MAX_WAIT_SECONDS = 30;
    private static final int WAITING = 0;
    private static final int COMMITTING = 1;
    private static final int ABANDONED = 2;

    /**
     * One claim waiting to be written; its state (the int it extends: WAITING, COMMITTING, ABANDONED) is moved out of
     * WAITING once, by the writer taking it or by its caller giving up on it.
     */
    private static final class Pending extends AtomicInteger {
        private final Coupon coupon;
        private final Reservation reservation;
        private final String idempotencyKey;
        private final Instant now;
        private final boolean granted;
        private final String traceParent;
        private final CompletableFuture<IssuedCoupon> result = new CompletableFuture<>();
        private final long queuedAt;
        private final long deadline;

        Pending(Coupon coupon, Reservation reservation, String idempotencyKey, Instant now, boolean granted,
                String traceParent, long queuedAt, long deadline) {
            this.coupon = coupon;
            this.reservation = reservation;
            this.idempotencyKey = idempotencyKey;
            this.now = now;
            this.granted = granted;
            this.traceParent = traceParent;
            this.queuedAt = queuedAt;
            this.deadline = deadline;
        }

        Coupon coupon() {
            return coupon;
        }

        Reservation reservation() {
            return reservation;
        }

        String idempotencyKey() {
            return idempotencyKey;
        }

        Instant now() {
            return now;
        }

        String traceParent() {
            return traceParent;
        }

        boolean granted() {
            return granted;
        }

        CompletableFuture<IssuedCoupon> result() {
            return result;
        }

        long queuedAt() {
            return queuedAt;
        }

        /** The writer takes the claim into a batch, unless its caller gave up on it or its deadline passed. */
        boolean take(long at) {
            if (at - deadline >= 0) {
                abandon(null);
                return false;
            }
            return compareAndSet(WAITING, COMMITTING);
        }

        /** Gives up on the claim unless it is being committed; an abandoned claim is answered {@link NotWritten}. */
        boolean abandon(Throwable cause) {
            if (!compareAndSet(WAITING, ABANDONED)) {
                return get() == ABANDONED;
            }
            result.completeExceptionally(new NotWritten("the claim was not written in time", cause, false));
            return true;
        }
    }

    /** Where a batch's XA transaction got to. */
    private enum Phase { WRITING, PREPARING, PREPARED, COMMITTED }

    /** What the writer knows of a batch's transaction while it runs: its claims, its XID and how far it got. */
    private static final class Attempt {
        final List<Pending> taken = new ArrayList<>();
        List<Object> outcomes;
        String xid;
        JdbcConnection session;
        Phase phase = Phase.WRITING;
    }

    /**
     * {@code per_user_limit} is the coupon's: a foreign key checks that, and a CHECK bounds {@code user_seq} by it.
     * {@code claim_day} and {@code day_seq} are the user's slot of the day (NULL without a daily limit).
     */
    private static final String INSERT_ISSUED = "INSERT INTO issued_coupons (coupon_id, user_id, seq, user_seq, "
            + "per_user_limit, claim_day, day_seq, code, status, issued_at, expires_at, idempotency_key, version) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ISSUED', ?, ?, ?, 0)";
    private static final String TAKEN_KEYS = "SELECT "
            + "(SELECT COUNT(*) FROM issued_coupons WHERE coupon_id = ? AND seq = ?), "
            + "(SELECT COUNT(*) FROM issued_coupons WHERE coupon_id = ? AND per_user_limit = ? AND user_id = ? "
            + "AND user_seq = ?), "
            + "(SELECT COUNT(*) FROM issued_coupons WHERE user_id = ? AND idempotency_key = ?), "
            + "(SELECT COUNT(*) FROM issued_coupons WHERE coupon_id = ? AND user_id = ? AND claim_day = ? "
            + "AND day_seq = ?)";
    private static final String HELD_SLOTS = "SELECT COALESCE(SUM(coupon_id = ?), 0), "
            + "MAX(CASE WHEN idempotency_key = ? THEN id END) FROM issued_coupons "
            + "WHERE user_id = ? AND (coupon_id = ? OR idempotency_key = ?)";

    /** How many units of a coupon a user holds in MySQL, and the user's issue (of any coupon) with a key, if any. */
    record HeldSlots(long ofCoupon, Long issueWithKey) {
    }

    private final CouponRepository coupons;
    private final ClaimGate gate;
    private final JdbcTemplate jdbc;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final ClaimProperties properties;
    private final BatchSettler settler;
    private final TraceContexts traces;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final DistributionSummary batchSizes;
    private final Timer queued;
    private final Timer written;
    private final Timer confirmed;
    private volatile boolean running;
    private Thread thread;

    ClaimWriter(CouponRepository coupons, ClaimGate gate, JdbcTemplate jdbc, Outbox outbox,
                PlatformTransactionManager transactionManager, ClaimProperties properties, BatchSettler settler,
                MeterRegistry meters, TraceContexts traces) {
        this.coupons = coupons;
        this.gate = gate;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.tx = new TransactionTemplate(transactionManager);
        // every statement of a batch gets the rest of this as its query time-out
        this.tx.setTimeout((int) properties.batchTimeout().toSeconds());
        this.properties = properties;
        this.settler = settler;
        this.traces = traces;
        this.batchSizes = DistributionSummary.builder("couponhub.claims.batch.size")
                .description("Claims written per transaction (group commit)").register(meters);
        meters.gauge("couponhub.claims.pending", queue, BlockingQueue::size);
        this.queued = ClaimStages.timer(meters, "queue", "Claims waiting for the writer, from queued to its batch");
        this.written = ClaimStages.timer(meters, "write", "Batch transactions of the writer, from begin to commit "
                + "(also when they fail)");
        this.confirmed = ClaimStages.timer(meters, "confirm", "Committed units confirmed to Redis, per batch");
    }

    /** {@link #write(Coupon, Reservation, String, Instant, long)} with a deadline of {@code writeTimeout} from now. */
    IssuedCoupon write(Coupon coupon, Reservation reservation, String idempotencyKey, Instant now) {
        return write(coupon, reservation, idempotencyKey, now,
                System.nanoTime() + properties.writeTimeout().toNanos());
    }

    /**
     * Writes the reserved unit's issue durably and answers it. A claim not taken into a batch by {@code deadline}
     * ({@link System#nanoTime()}) is abandoned; one being committed then waits for its batch's outcome.
     *
     * @throws NotIssuable         MySQL refused to count it (ended, outside its window, or full)
     * @throws KeyConflict         an issued row already holds one of its unique keys
     * @throws NotWritten          it is not in MySQL and never will be (abandoned, or its batch failed before PREPARE)
     * @throws RollbackPending     its batch's PREPARE got no answer: it is never issued, and its unit is given back
     *                             once MySQL confirms the rollback
     * @throws WriteOutcomeUnknown the writer did not decide its batch's outcome within {@code outcome-wait} after
     *                             the claim's deadline (a writer thread stuck beyond every time-out)
     * @throws ApiException        503 when too many claims wait for the writer
     */
    IssuedCoupon write(Coupon coupon, Reservation reservation, String idempotencyKey, Instant now, long deadline) {
        return write(coupon, reservation, idempotencyKey, now, deadline, false);
    }

    /**
     * {@link #write(Coupon, Reservation, String, Instant, long)}, for a claim or (with {@code granted}) a grant: the
     * same row; the event is {@code COUPON_GRANTED} instead of {@code COUPON_CLAIMED}.
     */
    IssuedCoupon write(Coupon coupon, Reservation reservation, String idempotencyKey, Instant now, long deadline,
                       boolean granted) {
        // the claim's request, when sampled: its event continues that trace (the writer's thread works for many)
        Pending pending = new Pending(coupon, reservation, idempotencyKey, now, granted, traces.currentSampled(),
                System.nanoTime(), deadline);
        if (!properties.groupCommit() || !running) {
            writeBatch(new ArrayList<>(List.of(pending)));
        } else if (queue.size() >= properties.maxPending()) {
            throw new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                    "Too many claims are waiting to be written. Try again shortly.");
        } else {
            queue.add(pending);
        }
        try {
            try {
                return outcome(pending, Math.max(0, deadline - System.nanoTime()));
            } catch (TimeoutException e) {
                if (pending.abandon(e)) {
                    return outcome(pending, 0);
                }
                // being committed: the writer decides its batch's outcome within the statements' and the driver's
                // time-outs
                return outcome(pending, properties.outcomeWait().toNanos() + properties.batchTimeout().toNanos() * 3);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (pending.abandon(e)) {
                throw new NotWritten("the claim was interrupted", e, false);
            }
            throw new WriteOutcomeUnknown(e);
        } catch (TimeoutException e) {
            throw new WriteOutcomeUnknown(e);
        }
    }

    private static IssuedCoupon outcome(Pending pending, long waitNanos) throws InterruptedException,
            TimeoutException {
        try {
            return pending.result().get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Which of the reservation's keys (and the user's idempotency key) issued rows of the coupon hold now. */
    TakenKeys takenKeys(Coupon coupon, Reservation reservation, String idempotencyKey) {
        return jdbc.queryForObject(TAKEN_KEYS, (rs, row) -> new TakenKeys(rs.getLong(1) > 0, rs.getLong(2) > 0,
                        rs.getLong(3) > 0, rs.getLong(4) > 0), reservation.couponId(), reservation.seq(),
                reservation.couponId(), coupon.perUserLimit(), reservation.userId(), reservation.userSeq(),
                reservation.userId(), idempotencyKey, reservation.couponId(), reservation.userId(),
                claimDay(reservation), reservation.daySeq());
    }

    /** The units of the coupon that issued rows give the user, and the id of the user's issue with the key. */
    HeldSlots heldSlots(long userId, long couponId, String idempotencyKey) {
        return jdbc.queryForObject(HELD_SLOTS, (rs, row) -> new HeldSlots(rs.getLong(1),
                rs.getObject(2, Long.class)), couponId, idempotencyKey, userId, couponId, idempotencyKey);
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + properties.batchWindow().toNanos();
                while (batch.size() < properties.batchSize()) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                writeBatch(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                batch.forEach(pending -> pending.result().completeExceptionally(e));
                log.error("Claim writer failed a batch", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        batchSizes.record(batch.size());
        long start = System.nanoTime();
        batch.forEach(pending -> queued.record(start - pending.queuedAt(), TimeUnit.NANOSECONDS));
        // the same lock order in every batch: fewer deadlocks between instances
        batch.sort(Comparator.comparing((Pending pending) -> pending.coupon().id())
                .thenComparing(pending -> pending.reservation().seq()));
        Attempt attempt = new Attempt();
        try {
            run(attempt, batch, true);
        } catch (RuntimeException failed) {
            // claims not taken (no connection, or the batch failed before taking them): abandoned, never written
            batch.forEach(pending -> pending.abandon(failed));
            List<Pending> taken = attempt.taken;
            if (decided(attempt, failed)) {
                return;
            } else if (taken.size() > 1 && retryAlone(failed)) {
                log.debug("Claim batch of {} failed ({}); writing its claims one by one", taken.size(),
                        failed.toString());
                taken.forEach(this::writeAlone);
            } else if (taken.size() == 1 && failed instanceof DataIntegrityViolationException integrity) {
                keyConflict(taken.get(0), integrity);
            } else {
                NotWritten notWritten = notWritten(failed);
                taken.forEach(pending -> pending.result().completeExceptionally(notWritten));
            }
        }
    }

    /**
     * One batch transaction: the connection first, then the claims taken (those still waiting and inside their
     * deadline), their statements, and COMMIT only if they were ready within {@code batchTimeout}.
     */
    private void run(Attempt attempt, List<Pending> claims, boolean take) {
        List<Object> outcomes = written.record(() -> tx.execute(status -> {
            long at = System.nanoTime();
            for (Pending pending : claims) {
                if (!take || pending.take(at)) {
                    attempt.taken.add(pending);
                }
            }
            if (attempt.taken.isEmpty()) {
                return List.of();
            }
            Connection connection = DataSourceUtils.getConnection(jdbc.getDataSource());
            attempt.xid = settler.newXid();
            attempt.session = session(connection);
            xa(connection, "START", attempt.xid);
            try {
                List<Object> rows = writeAll(attempt.taken);
                if (System.nanoTime() - at > properties.batchTimeout().toNanos()) {
                    throw new NotWritten("the batch was not ready to commit within " + properties.batchTimeout(),
                            null, false);
                }
                attempt.outcomes = rows;
                xa(connection, "END", attempt.xid);
            } catch (RuntimeException e) {
                abort(connection, attempt.xid, e);
                throw e;
            }
            attempt.phase = Phase.PREPARING;
            xa(connection, "PREPARE", attempt.xid);
            attempt.phase = Phase.PREPARED;
            xa(connection, "COMMIT", attempt.xid);
            attempt.phase = Phase.COMMITTED;
            return attempt.outcomes;
        }));
        if (!attempt.taken.isEmpty()) {
            complete(attempt.taken, outcomes);
        }
    }

    /**
     * A batch that failed once its PREPARE was sent: its outcome is the writer's to decide (true), and is decided now.
     * Committed already (only the empty local COMMIT after it failed), or prepared: its claims are answered 201 (the
     * settler commits a prepared one). PREPARE not acknowledged: rolled back; its claims answered
     * {@link RollbackPending} and their units given back by the settler once MySQL confirms.
     */
    private boolean decided(Attempt attempt, RuntimeException failed) {
        switch (attempt.phase) {
            case COMMITTED -> complete(attempt.taken, attempt.outcomes);
            case PREPARED -> {
                settler.commitLater(attempt.xid, dropSession(attempt.session));
                complete(attempt.taken, attempt.outcomes);
            }
            case PREPARING -> {
                settler.rollbackLater(attempt.xid, dropSession(attempt.session),
                        attempt.taken.stream().map(Pending::reservation).toList());
                RollbackPending rollback = new RollbackPending(failed);
                attempt.taken.forEach(pending -> pending.result().completeExceptionally(rollback));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** An XA statement, on the batch's connection, without a query time-out (the socket time-out bounds it). */
    private static void xa(Connection connection, String command, String xid) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("XA " + command + " '" + xid + "'");
        } catch (SQLException e) {
            throw new NotWritten("XA " + command + " failed: " + e, e, false);
        }
    }

    /** Rolls back a batch that failed before PREPARE; if it cannot (connection lost), MySQL does with the session. */
    private static void abort(Connection connection, String xid, RuntimeException failed) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("XA END '" + xid + "'");
        } catch (SQLException e) {
            // ended already (failed at XA END), or the connection is gone
            log.trace("XA END of aborted batch {}: {}", xid, e.toString());
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("XA ROLLBACK '" + xid + "'");
        } catch (SQLException e) {
            failed.addSuppressed(e);
        }
    }

    /** The driver's connection under the pool's (its {@code getId()} is the server's session id, no round trip). */
    private static JdbcConnection session(Connection connection) {
        try {
            return connection.unwrap(JdbcConnection.class);
        } catch (SQLException e) {
            throw new IllegalStateException("not a MySQL Connector/J connection", e);
        }
    }

    /**
     * Closes the batch's connection for good, so that the pool discards it instead of lending it again (the settler
     * ends its session with {@code KILL}, which must not hit another batch); answers the session's id.
     */
    private static long dropSession(JdbcConnection session) {
        long id = session.getId();
        try {
            session.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            log.debug("Closing the connection of an undecided batch: {}", e.toString());
        }
        return id;
    }

    /** A claim of a batch that failed as a whole, as a batch of its own: its own problem is answered to it alone. */
    private void writeAlone(Pending pending) {
        if (System.nanoTime() - pending.deadline >= 0) {
            pending.result().completeExceptionally(new NotWritten("the claim was not written in time", null, false));
            return;
        }
        Attempt attempt = new Attempt();
        try {
            run(attempt, List.of(pending), false);
        } catch (RuntimeException failed) {
            if (decided(attempt, failed)) {
                return;
            } else if (failed instanceof DataIntegrityViolationException integrity) {
                keyConflict(pending, integrity);
            } else {
                pending.result().completeExceptionally(notWritten(failed));
            }
        }
    }

    /** A duplicate key (or another constraint): asks MySQL which of the claim's keys issued rows hold. */
    private void keyConflict(Pending pending, DataIntegrityViolationException e) {
        try {
            TakenKeys taken = takenKeys(pending.coupon(), pending.reservation(), pending.idempotencyKey());
            pending.result().completeExceptionally(taken.any() || e instanceof DuplicateKeyException
                    ? new KeyConflict(taken) : e);
        } catch (RuntimeException unreadable) {
            pending.result().completeExceptionally(notWritten(unreadable));
        }
    }

    /** Worth writing claim by claim: one claim's taken key or refused row, or a lock conflict of the batch. */
    private static boolean retryAlone(RuntimeException failed) {
        return failed instanceof DataIntegrityViolationException
                || failed instanceof PessimisticLockingFailureException;
    }

    private static NotWritten notWritten(RuntimeException failed) {
        if (failed instanceof NotWritten notWritten) {
            return notWritten;
        }
        return new NotWritten("the claim could not be written: " + failed, failed,
                failed instanceof PessimisticLockingFailureException);
    }

    /**
     * Answers each claim of a committed batch; the issued units are first confirmed to Redis together, one script call
     * per coupon instead of one per claim on the request threads.
     */
    private void complete(List<Pending> batch, List<Object> outcomes) {
        List<Reservation> issued = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i) instanceof IssuedCoupon) {
                issued.add(batch.get(i).reservation());
            }
        }
        if (!issued.isEmpty()) {
            confirmed.record(() -> gate.confirmCommitted(issued));
        }
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i) instanceof IssuedCoupon unit) {
                batch.get(i).result().complete(unit);
            } else {
                batch.get(i).result().completeExceptionally((NotIssuable) outcomes.get(i));
            }
        }
    }

    /**
     * A batch (sorted by coupon) in the current transaction. Answers, per claim, its {@link IssuedCoupon} or the
     * {@link NotIssuable} refusal; throws when any statement fails.
     */
    private List<Object> writeAll(List<Pending> batch) {
        Object[] outcomes = new Object[batch.size()];
        // 1. the counts: one statement per coupon; if MySQL refuses the whole group (Redis was behind, or the coupon
        //    ended meanwhile), count claim by claim so that exactly those that still fit are issued
        for (int from = 0; from < batch.size(); ) {
            long couponId = batch.get(from).coupon().id();
            int to = from;
            while (to < batch.size() && batch.get(to).coupon().id() == couponId) {
                to++;
            }
            if (!count(couponId, to - from, batch.get(from).now())) {
                for (int i = from; i < to; i++) {
                    if (to - from == 1 || !count(couponId, 1, batch.get(i).now())) {
                        outcomes[i] = new NotIssuable(refusal(couponId, batch.get(i).now()));
                    }
                }
            }
            from = to;
        }
        // 2. the rows, in one multi-row insert
        List<IssuedCoupon> units = new ArrayList<>(batch.size());
        List<Boolean> granted = new ArrayList<>(batch.size());
        List<String> traceParents = new ArrayList<>(batch.size());
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes[i] != null) {
                continue;
            }
            Pending pending = batch.get(i);
            Reservation reservation = pending.reservation();
            IssuedCoupon unit = new IssuedCoupon(pending.coupon(), reservation.userId(), reservation.seq(),
                    reservation.userSeq(), CouponCodes.next(), pending.idempotencyKey(), pending.now());
            outcomes[i] = unit;
            units.add(unit);
            granted.add(pending.granted());
            traceParents.add(pending.traceParent());
            rows.add(new Object[] {pending.coupon().id(), unit.userId(), unit.seq(), unit.userSeq(),
                    unit.perUserLimit(), claimDay(reservation),
                    reservation.daySeq() > 0 ? reservation.daySeq() : null, unit.code(), utc(unit.issuedAt()),
                    utc(unit.expiresAt()), unit.idempotencyKey()});
        }
        if (units.isEmpty()) {
            return List.of(outcomes);
        }
        jdbc.batchUpdate(INSERT_ISSUED, rows);
        // 3. their ids, by the unique (coupon, seq) key
        assignIds(units);
        // 4. the events, in one multi-row insert
        List<OutboxEvent> events = new ArrayList<>(units.size());
        for (int i = 0; i < units.size(); i++) {
            IssuedCoupon unit = units.get(i);
            Coupon coupon = unit.coupon();
            events.add(granted.get(i)
                    ? new CouponEvents.CouponGranted(unit.id(), coupon.id(), coupon.storeId(), coupon.store().name(),
                            coupon.name(), unit.userId(), unit.issuedAt(), unit.expiresAt())
                    : new CouponEvents.CouponClaimed(unit.id(), coupon.id(), coupon.storeId(), coupon.store().name(),
                            coupon.name(), unit.userId(), unit.issuedAt(), unit.expiresAt()));
        }
        outbox.appendAll(events, traceParents);
        return List.of(outcomes);
    }

    /** Counts {@code n} more issued units if the coupon is claimable at {@code now} for all of them. */
    private boolean count(long couponId, int n, Instant now) {
        LocalDateTime at = utc(now);
        return jdbc.update(Claimability.COUNT_IF_CLAIMABLE, n, couponId, at, at, n) > 0;
    }

    private void assignIds(List<IssuedCoupon> units) {
        Map<Long, List<IssuedCoupon>> byCoupon = new HashMap<>();
        units.forEach(unit -> byCoupon.computeIfAbsent(unit.coupon().id(), id -> new ArrayList<>()).add(unit));
        byCoupon.forEach((couponId, ofCoupon) -> {
            Map<Long, IssuedCoupon> bySeq = new HashMap<>();
            ofCoupon.forEach(unit -> bySeq.put(unit.seq(), unit));
            String sql = "SELECT id, seq FROM issued_coupons WHERE coupon_id = ? AND seq IN ("
                    + String.join(", ", Collections.nCopies(ofCoupon.size(), "?")) + ")";
            Object[] args = new Object[ofCoupon.size() + 1];
            args[0] = couponId;
            for (int i = 0; i < ofCoupon.size(); i++) {
                args[i + 1] = ofCoupon.get(i).seq();
            }
            jdbc.query(sql, rs -> {
                bySeq.remove(rs.getLong(2)).assignGeneratedId(rs.getLong(1));
            }, args);
            if (!bySeq.isEmpty()) {
                throw new IllegalStateException("issued rows not found after insert: coupon " + couponId
                        + ", units " + bySeq.keySet());
            }
        });
    }

    /**
     * Why MySQL refused to count an issue, by the same rule, on the coupon as MySQL has it in this transaction (the
     * copy a claim carries may predate the change).
     */
    private Refusal refusal(long couponId, Instant now) {
        return coupons.findById(couponId).flatMap(coupon -> Claimability.refusalOf(coupon, now))
                .orElse(Refusal.SOLD_OUT);
    }

    /** The reservation's day (a date of the service zone) when it holds a slot of the day; else null. */
    private static LocalDate claimDay(Reservation reservation) {
        return reservation.daySeq() > 0 ? LocalDate.parse(reservation.day(), DateTimeFormatter.BASIC_ISO_DATE) : null;
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "claim-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(MAX_WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server stopped taking requests (higher phases stop first), before the data source. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE / 2;
    }
}
