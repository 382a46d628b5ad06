package dev.couponhub.coupon.events;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.couponhub.coupon.config.OutboxProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transactional outbox: events are stored in the transaction of the change they describe, and {@link OutboxRelay}
 * sends them once that transaction has committed. No commit, no event; a commit always leads to the event.
 */
@Component
public class Outbox {

    private static final String INSERT = "INSERT INTO outbox_events "
            + "(event_id, destination, type, aggregate_id, payload, occurred_at, attempts, next_attempt_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, 0, ?)";

    private final OutboxEntryRepository entries;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final OutboxProperties properties;

    Outbox(OutboxEntryRepository entries, JdbcTemplate jdbc, ObjectMapper json, Clock clock,
           OutboxProperties properties) {
        this.entries = entries;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
    }

    /** Stores the event, once for each destination queue; must run inside the transaction that makes the change. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(DomainEvent event) {
        String payload = payloadOf(event);
        String eventId = OutboxEntry.newEventId();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        for (String queue : properties.queues()) {
            entries.save(OutboxEntry.of(eventId, queue, event.type(), event.aggregateId(), payload, now));
        }
    }

    /**
     * Stores many events at once with one JDBC batch (the claim writer's path: with {@code rewriteBatchedStatements}
     * the batch becomes one multi-row insert); must run inside the transaction that makes the changes.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void appendAll(List<? extends DomainEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        List<Object[]> rows = new ArrayList<>(events.size() * properties.queues().size());
        for (DomainEvent event : events) {
            String payload = payloadOf(event);
            String eventId = OutboxEntry.newEventId();
            for (String queue : properties.queues()) {
                rows.add(new Object[] {eventId, queue, event.type(), event.aggregateId(), payload, now, now});
            }
        }
        jdbc.batchUpdate(INSERT, rows);
    }

    private String payloadOf(DomainEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + event.type(), e);
        }
    }
}
