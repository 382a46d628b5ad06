package dev.couponhub.coupon.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An event to publish through the {@link Outbox}. The implementing record's components are the message's
 * {@code payload}; {@link #type()} and {@link #aggregateId()} are not part of it.
 */
public interface DomainEvent {

    /** The message {@code type}, UPPER_SNAKE. */
    @JsonIgnore
    String type();

    /** The id of the thing that changed (the coupon). */
    @JsonIgnore
    long aggregateId();
}
