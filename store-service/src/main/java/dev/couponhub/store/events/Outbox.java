package dev.couponhub.store.events;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    Outbox(OutboxEntryRepository entries, ObjectMapper json, Clock clock) {
        this.entries = entries;
        this.json = json;
        this.clock = clock;
    }

    /** Stores the event; must run inside the transaction that makes the change. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(DomainEvent event) {
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + event.type(), e);
        }
        entries.save(OutboxEntry.of(event.type(), event.aggregateId(), payload,
                clock.instant().truncatedTo(ChronoUnit.MICROS)));
    }
}
