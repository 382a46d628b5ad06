package dev.couponhub.kit.outbox;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.couponhub.kit.tracing.TraceContexts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox: events are stored in the transaction of the change they describe, and {@link OutboxRelay}
 * sends them once that transaction has committed. No commit, no event; a commit always leads to the event.
 *
 * <p>Rows are written with JDBC on the service's {@code DataSource}, inside the transaction the service's transaction
 * manager opened ({@code JpaTransactionManager} exposes its connection to JDBC), so the service needs no entity of the
 * kit. Each event gets a fresh {@code eventId}, a time-ordered UUID (version 7: milliseconds since the epoch, then
 * random bits), so that the consumers' unique keys on the event id (notification-service's inbox, batch-service's
 * ledger) grow at their end like an auto-increment key instead of taking every insert to a random page of a large
 * index; its payload is the event written with the service's {@code ObjectMapper}.
 *
 * <p>An event stored while a sampled trace is current (or given one, {@link #appendAll(List, List)}) keeps that trace
 * ({@link TraceContexts}): the relay sends it with the event, and the consumer's work continues the trace.
 */
public class Outbox {

    private final OutboxTable table;
    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;
    private final TraceContexts traces;
    private final TimeBasedEpochGenerator eventIds = Generators.timeBasedEpochGenerator();

    Outbox(JdbcTemplate jdbc, ObjectMapper json, Clock clock, OutboxProperties properties) {
        this(jdbc, json, clock, properties, TraceContexts.NONE);
    }

    Outbox(JdbcTemplate jdbc, ObjectMapper json, Clock clock, OutboxProperties properties, TraceContexts traces) {
        this.table = new OutboxTable(jdbc, properties);
        this.dataSource = jdbc.getDataSource();
        this.json = json;
        this.clock = clock;
        this.traces = traces;
    }

    /**
     * Stores the event: one row, whatever the number of queues it goes to.
     *
     * @throws IllegalTransactionStateException when no transaction on the outbox's {@code DataSource} is active: this
     *                                          must run inside the transaction that makes the change
     */
    public void append(OutboxEvent event) {
        appendAll(List.of(event));
    }

    /**
     * Stores many events at once, in their order, with one JDBC batch (with {@code rewriteBatchedStatements} the batch
     * becomes one multi-row insert); each event gets its own {@code eventId}.
     *
     * @throws IllegalTransactionStateException when no transaction on the outbox's {@code DataSource} is active: this
     *                                          must run inside the transaction that makes the changes
     */
    public void appendAll(List<? extends OutboxEvent> events) {
        appendAll(events, null);
    }

    /**
     * {@link #appendAll(List)} for events of several traces, stored away from the threads that worked for them (a
     * batch writer): {@code traceParents} holds each event's trace ({@link TraceContexts#currentSampled()} taken on
     * that thread; null for none), in the events' order; null means the current thread's trace for all.
     */
    public void appendAll(List<? extends OutboxEvent> events, List<String> traceParents) {
        requireTransaction();
        if (events.isEmpty()) {
            return;
        }
        if (traceParents != null && traceParents.size() != events.size()) {
            throw new IllegalArgumentException(events.size() + " events but " + traceParents.size() + " traces");
        }
        String current = traceParents == null ? traces.currentSampled() : null;
        List<OutboxTable.NewEvent> rows = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            OutboxEvent event = events.get(i);
            rows.add(new OutboxTable.NewEvent(eventIds.generate().toString(), event.type(), event.aggregateId(),
                    payloadOf(event), traceParents == null ? current : traceParents.get(i)));
        }
        table.insert(rows, clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * A transaction must be active, and hold a connection of the outbox's {@code DataSource}: otherwise the rows would
     * be written on a connection of their own and committed whatever becomes of the change.
     */
    private void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalTransactionStateException(
                    "The outbox must be written inside the transaction that makes the change; none is active");
        }
        if (dataSource != null && !TransactionSynchronizationManager.hasResource(dataSource)) {
            throw new IllegalTransactionStateException("The active transaction holds no connection of the outbox's "
                    + "DataSource; its transaction manager must manage that DataSource");
        }
    }

    private String payloadOf(OutboxEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + event.type(), e);
        }
    }
}
