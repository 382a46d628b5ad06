package dev.couponhub.kit.grpc;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.stub.AbstractStub;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * gRPC client defaults: {@link GrpcClients}, which makes {@link GrpcDependency GrpcDependencies} (deadline on every
 * call, circuit breaker, fast 503 {@code DEPENDENCY_UNAVAILABLE}, start-up warm-up) on the channels of
 * grpc-spring-boot-starter ({@code grpc.client.<name>.*}). Only for services with the gRPC client starter and
 * Resilience4j on their classpath.
 */
@AutoConfiguration(afterName = "net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnClass({GrpcChannelFactory.class, AbstractStub.class, CircuitBreaker.class})
public class GrpcClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(GrpcChannelFactory.class)
    GrpcClients grpcClients(GrpcChannelFactory channels) {
        return new GrpcClients(channels::createChannel);
    }
}
