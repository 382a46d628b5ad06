package dev.couponhub.coupon.events;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.couponhub.coupon.config.OutboxProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transactional outbox: events are stored in the transaction of the change they describe, and {@link OutboxRelay}
 * sends them once that transaction has committed. No commit, no event; a commit always leads to the event.
 */
@Component
public class Outbox {

    private final OutboxEntryRepository entries;
    private final ObjectMapper json;
    private final Clock clock;
    private final OutboxProperties properties;

    Outbox(OutboxEntryRepository entries, ObjectMapper json, Clock clock, OutboxProperties properties) {
        this.entries = entries;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
    }

    /** Stores the event, once for each destination queue; must run inside the transaction that makes the change. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(DomainEvent event) {
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + event.type(), e);
        }
        String eventId = OutboxEntry.newEventId();
        java.time.Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        for (String queue : properties.queues()) {
            entries.save(OutboxEntry.of(eventId, queue, event.type(), event.aggregateId(), payload, now));
        }
    }
}
