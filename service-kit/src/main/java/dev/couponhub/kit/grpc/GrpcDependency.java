package dev.couponhub.kit.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another service this one calls over gRPC, through a stub of its API: every call gets a fresh deadline and runs in a
 * circuit breaker. When the other service is down, slower than the deadline or the breaker is open, the caller gets
 * 503 {@code DEPENDENCY_UNAVAILABLE} at once, with the detail the service chose. Created by {@link GrpcClients}; what
 * to ask and how to read the answer stay in the service.
 *
 * @param <S> the stub type, e.g. {@code StoreServiceGrpc.StoreServiceBlockingStub}
 */
public final class GrpcDependency<S extends AbstractStub<S>> {

    private static final Logger log = LoggerFactory.getLogger(GrpcDependency.class);

    /** Any server answers this one, with its health or with UNIMPLEMENTED: either way the channel is connected. */
    private static final MethodDescriptor<byte[], byte[]> HEALTH_CHECK = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("grpc.health.v1.Health/Check")
            .setRequestMarshaller(Bytes.INSTANCE)
            .setResponseMarshaller(Bytes.INSTANCE)
            .build();

    private final String name;
    private final Channel channel;
    private final S stub;
    private final GrpcClientProperties properties;
    private final CircuitBreaker breaker;
    private final String unavailableDetail;

    GrpcDependency(String name, Channel channel, Function<Channel, S> stubs, GrpcClientProperties properties,
                   String unavailableDetail) {
        this.name = name;
        this.channel = channel;
        this.stub = stubs.apply(channel);
        this.properties = properties;
        this.breaker = Breakers.of(name, properties.breaker());
        this.unavailableDetail = unavailableDetail;
    }

    /**
     * Calls the other service. An answer {@code NOT_FOUND} or {@code INVALID_ARGUMENT} is not expected here: it is
     * answered 503 like a failure, but does not count against the breaker.
     *
     * @param method the RPC's name, for the log
     * @param call   the call on the stub it is given (which carries the deadline)
     * @throws ApiException 503 {@code DEPENDENCY_UNAVAILABLE} when the other service cannot answer in time
     */
    public <T> T call(String method, Function<? super S, T> call) {
        return call(method, call, null);
    }

    /**
     * Calls the other service; its answer "no such thing" ({@code NOT_FOUND} or {@code INVALID_ARGUMENT}) becomes the
     * exception {@code whenNotFound} gives and does not count against the breaker.
     *
     * @throws ApiException 503 {@code DEPENDENCY_UNAVAILABLE} when the other service cannot answer in time
     */
    public <T> T call(String method, Function<? super S, T> call, Supplier<? extends RuntimeException> whenNotFound) {
        try {
            return breaker.executeSupplier(() -> call.apply(withDeadline()));
        } catch (CallNotPermittedException open) {
            throw unavailable();
        } catch (StatusRuntimeException e) {
            if (whenNotFound != null && Breakers.isNotFound(e.getStatus())) {
                throw whenNotFound.get();
            }
            log.warn("{} could not answer {}: {}", name, method, e.getStatus());
            throw unavailable();
        }
    }

    /**
     * Calls the other service for something the caller can do without: empty when it cannot answer in time (or
     * answers "not found"), which is logged at DEBUG only.
     */
    public <T> Optional<T> callIfAvailable(String method, Function<? super S, T> call) {
        try {
            return Optional.of(breaker.executeSupplier(() -> call.apply(withDeadline())));
        } catch (CallNotPermittedException | StatusRuntimeException e) {
            log.debug("{} could not answer {}: {}", name, method, e.toString());
            return Optional.empty();
        }
    }

    public String name() {
        return name;
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    GrpcClientProperties properties() {
        return properties;
    }

    /**
     * One warm-up attempt, outside the breaker: whether a server answered within {@code deadline}, whatever it said.
     */
    boolean connect(Duration deadline) {
        try {
            ClientCalls.blockingUnaryCall(channel, HEALTH_CHECK,
                    CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), new byte[0]);
            return true;
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            return code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED
                    && code != Status.Code.CANCELLED;
        }
    }

    private S withDeadline() {
        return stub.withDeadlineAfter(properties.deadline().toMillis(), TimeUnit.MILLISECONDS);
    }

    private ApiException unavailable() {
        return new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE, unavailableDetail);
    }

    /** Messages as they are: the warm-up neither sends nor reads anything. */
    private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw Status.INTERNAL.withCause(e).asRuntimeException();
            }
        }
    }
}
