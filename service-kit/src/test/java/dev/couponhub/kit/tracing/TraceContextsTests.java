package dev.couponhub.kit.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

class TraceContextsTests {

    @Test
    void currentSampledInASampledSpanThenItsW3cTraceparent() {
        try (TestTracers tracers = new TestTracers(true)) {
            Tracer tracer = tracers.tracer();
            Span span = tracer.nextSpan().name("claim").start();
            try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
                assertThat(tracers.contexts().currentSampled())
                        .isEqualTo("00-" + span.context().traceId() + "-" + span.context().spanId() + "-01")
                        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            } finally {
                span.end();
            }
        }
    }

    @Test
    void currentSampledInAnUnsampledSpanThenNone() {
        try (TestTracers tracers = new TestTracers(false)) {
            Tracer tracer = tracers.tracer();
            Span span = tracer.nextSpan().name("claim").start();
            try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
                assertThat(tracers.contexts().currentSampled()).isNull();
            } finally {
                span.end();
            }
        }
    }

    @Test
    void currentSampledOutsideAnySpanOrWithoutTracerThenNone() {
        try (TestTracers tracers = new TestTracers(true)) {
            assertThat(tracers.contexts().currentSampled()).isNull();
        }
        assertThat(TraceContexts.NONE.currentSampled()).isNull();
    }
}
