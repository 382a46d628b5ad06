package dev.couponhub.coupon.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Store events from store-service.
 *
 * @param queue           the SQS queue they arrive on
 * @param listenerEnabled whether this instance listens to it
 */
@ConfigurationProperties("couponhub.store-events")
public record StoreEventsProperties(@DefaultValue("store-events-coupon") String queue,
                                    @DefaultValue("true") boolean listenerEnabled) {
}
