package dev.couponhub.kit.outbox;

import java.time.Instant;

/** Events of a made-up service. */
final class TestEvents {

    private TestEvents() {
    }

    /** {@code PARCEL_SHIPPED}: its components are the payload; {@code shippedAt} needs the service's ObjectMapper. */
    record ParcelShipped(long parcelId, String label, Instant shippedAt) implements OutboxEvent {
        @Override
        public String type() {
            return "PARCEL_SHIPPED";
        }

        @Override
        public long aggregateId() {
            return parcelId;
        }
    }

    /** {@code PARCEL_LOST}. */
    record ParcelLost(long parcelId) implements OutboxEvent {
        @Override
        public String type() {
            return "PARCEL_LOST";
        }

        @Override
        public long aggregateId() {
            return parcelId;
        }
    }
}
