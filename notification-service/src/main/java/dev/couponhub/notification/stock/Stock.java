package dev.couponhub.notification.stock;

import java.util.Set;

/**
 * What a live stock event carries: the {@code stock} event's data.
 *
 * @param status {@code SCHEDULED}, {@code ACTIVE}, {@code SOLD_OUT} or {@code ENDED}
 */
public record Stock(long couponId, long remainingQuantity, String status) {

    private static final Set<String> FINAL = Set.of("SOLD_OUT", "ENDED");

    /** Nothing changes after this: the stream's last event. */
    boolean ends() {
        return FINAL.contains(status);
    }
}
