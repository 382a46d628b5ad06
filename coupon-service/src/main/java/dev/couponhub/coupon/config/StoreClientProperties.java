package dev.couponhub.coupon.config;

import dev.couponhub.kit.grpc.GrpcClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls to store-service over gRPC (address under {@code grpc.client.store-service.address}).
 *
 * @param stores deadline, circuit breaker and warm-up of the calls ({@code couponhub.stores.*})
 */
@ConfigurationProperties("couponhub")
public record StoreClientProperties(@DefaultValue GrpcClientProperties stores) {
}
