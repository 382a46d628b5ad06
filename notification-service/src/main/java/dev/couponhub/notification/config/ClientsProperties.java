package dev.couponhub.notification.config;

import dev.couponhub.kit.grpc.GrpcClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls to store-service, user-service and coupon-service over gRPC (addresses under
 * {@code grpc.client.<service>.address}): deadline, circuit breaker and warm-up of each.
 *
 * @param stores  look-ups of stores (subscriptions), {@code couponhub.clients.stores.*}
 * @param users   look-ups of e-mail addresses (mail sender), {@code couponhub.clients.users.*}
 * @param coupons the stock of coupons watched live, {@code couponhub.clients.coupons.*}
 */
@ConfigurationProperties("couponhub.clients")
public record ClientsProperties(@DefaultValue GrpcClientProperties stores, @DefaultValue GrpcClientProperties users,
                                @DefaultValue GrpcClientProperties coupons) {
}
