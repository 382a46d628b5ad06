package dev.couponhub.kit.tracing;

import java.util.List;

import brave.Tracing;
import brave.sampler.Sampler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;

/** A Brave tracer with W3C propagation, as Spring Boot configures it, for tests of what carries a trace. */
public final class TestTracers implements AutoCloseable {

    private final Tracing tracing;
    private final Tracer tracer;
    private final TraceContexts contexts;

    public TestTracers(boolean sampled) {
        BraveBaggageManager baggage = new BraveBaggageManager();
        tracing = Tracing.newBuilder()
                .traceId128Bit(true)
                .supportsJoin(false)
                .sampler(sampled ? Sampler.ALWAYS_SAMPLE : Sampler.NEVER_SAMPLE)
                .propagationFactory(new W3CPropagation(baggage, List.of()))
                .build();
        tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
                baggage);
        contexts = new TraceContexts(tracer, new BravePropagator(tracing));
    }

    public Tracer tracer() {
        return tracer;
    }

    public TraceContexts contexts() {
        return contexts;
    }

    @Override
    public void close() {
        tracing.close();
    }
}
