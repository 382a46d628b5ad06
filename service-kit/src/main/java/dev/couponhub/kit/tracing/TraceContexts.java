package dev.couponhub.kit.tracing;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The trace a thread works for, written down so that work done later, elsewhere, can continue it: the outbox stores
 * it with an event, the relay sends it with the event's SQS message (message attribute {@value #TRACEPARENT}), and the
 * consumer's listener observation (Spring Cloud AWS) continues the trace from there.
 *
 * <p>Only a sampled trace is written down: an unsampled one would export nothing downstream either, and most requests
 * (all but {@code management.tracing.sampling.probability} of them) then cost nothing here. The value is the W3C
 * {@code traceparent} header (Spring Boot's default propagation), e.g.
 * {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}.
 */
public final class TraceContexts {

    /** The W3C header, and the SQS message attribute, that carries a trace. */
    public static final String TRACEPARENT = "traceparent";

    /** Where no tracer runs (tests, a service without tracing): no trace is ever written down. */
    public static final TraceContexts NONE = new TraceContexts(null, null);

    private final Tracer tracer;
    private final Propagator propagator;

    public TraceContexts(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /**
     * The current span's trace as a {@code traceparent} value, when there is a current span and its trace is
     * sampled; null otherwise.
     */
    public String currentSampled() {
        if (tracer == null) {
            return null;
        }
        Span span = tracer.currentSpan();
        if (span == null) {
            return null;
        }
        TraceContext context = span.context();
        if (!Boolean.TRUE.equals(context.sampled())) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(4);
        propagator.inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }
}
