package dev.couponhub.coupon.config;

import dev.couponhub.kit.grpc.GrpcClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls to store-service and user-service over gRPC (addresses under {@code grpc.client.store-service.address} and
 * {@code grpc.client.user-service.address}).
 *
 * @param stores deadline, circuit breaker and warm-up of the calls to store-service ({@code couponhub.stores.*})
 * @param users  the same for user-service ({@code couponhub.users.*}): the accounts a grant names
 */
@ConfigurationProperties("couponhub")
public record ClientProperties(@DefaultValue GrpcClientProperties stores,
                               @DefaultValue GrpcClientProperties users) {
}
