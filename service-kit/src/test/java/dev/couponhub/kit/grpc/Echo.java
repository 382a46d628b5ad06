package dev.couponhub.kit.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.AbstractBlockingStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;

/**
 * A made-up gRPC API for the kit's tests, written as protoc would generate it (the kit knows no service's proto): one
 * unary method {@code test.Echo/Echo} on strings, a blocking stub, and a server whose next answers a test chooses.
 * The server also answers the health check the warm-up sends, and counts both.
 */
final class Echo {

    static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("test.Echo/Echo")
            .setRequestMarshaller(Text.INSTANCE)
            .setResponseMarshaller(Text.INSTANCE)
            .build();

    private static final MethodDescriptor<String, String> HEALTH_CHECK = ECHO.toBuilder()
            .setFullMethodName("grpc.health.v1.Health/Check")
            .build();

    private Echo() {
    }

    /** What the server does with a call. */
    enum Behaviour {
        /** answers the request back */
        ANSWER,
        /** answers NOT_FOUND */
        NOT_FOUND,
        /** fails with UNAVAILABLE (e.g. the service is overloaded) */
        FAIL,
        /** never answers: the client's deadline ends the call */
        HANG
    }

    static final class Stub extends AbstractBlockingStub<Stub> {

        private Stub(Channel channel, CallOptions options) {
            super(channel, options);
        }

        static Stub of(Channel channel) {
            return new Stub(channel, CallOptions.DEFAULT);
        }

        @Override
        protected Stub build(Channel channel, CallOptions options) {
            return new Stub(channel, options);
        }

        String echo(String request) {
            return ClientCalls.blockingUnaryCall(getChannel(), ECHO, getCallOptions(), request);
        }
    }

    static final class Server {

        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger healthChecks = new AtomicInteger();
        volatile Behaviour behaviour = Behaviour.ANSWER;

        ServerServiceDefinition echo() {
            return ServerServiceDefinition.builder("test.Echo")
                    .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, observer) -> {
                        calls.incrementAndGet();
                        switch (behaviour) {
                            case ANSWER -> {
                                observer.onNext(request);
                                observer.onCompleted();
                            }
                            case NOT_FOUND -> observer.onError(Status.NOT_FOUND.asRuntimeException());
                            case FAIL -> observer.onError(Status.UNAVAILABLE.asRuntimeException());
                            case HANG -> { }
                        }
                    }))
                    .build();
        }

        /** Answers the warm-up's health check (its empty request is an empty string here) with UNIMPLEMENTED. */
        ServerServiceDefinition health() {
            return ServerServiceDefinition.builder("grpc.health.v1.Health")
                    .addMethod(HEALTH_CHECK, ServerCalls.asyncUnaryCall((request, observer) -> {
                        healthChecks.incrementAndGet();
                        observer.onError(Status.UNIMPLEMENTED.asRuntimeException());
                    }))
                    .build();
        }
    }

    private enum Text implements MethodDescriptor.Marshaller<String> {
        INSTANCE;

        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
