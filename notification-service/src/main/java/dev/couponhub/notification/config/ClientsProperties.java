package dev.couponhub.notification.config;

import dev.couponhub.kit.grpc.GrpcClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls to store-service and user-service over gRPC (addresses under {@code grpc.client.store-service.address} and
 * {@code grpc.client.user-service.address}): deadline, circuit breaker and warm-up of each.
 *
 * @param stores look-ups of stores (subscriptions), {@code couponhub.clients.stores.*}
 * @param users  look-ups of e-mail addresses (mail sender), {@code couponhub.clients.users.*}
 */
@ConfigurationProperties("couponhub.clients")
public record ClientsProperties(@DefaultValue GrpcClientProperties stores, @DefaultValue GrpcClientProperties users) {
}
