package dev.couponhub.kit.outbox;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An event a service publishes through the {@link Outbox}. The implementing record's components are the message's
 * {@code payload}, written with the service's {@code ObjectMapper}; {@link #type()} and {@link #aggregateId()} are not
 * part of it.
 */
public interface OutboxEvent {

    /** The message {@code type}, UPPER_SNAKE (at most 50 characters: column {@code type}). */
    @JsonIgnore
    String type();

    /** The id of the thing that changed (column {@code aggregate_id}; the relay does not use it). */
    @JsonIgnore
    long aggregateId();
}
