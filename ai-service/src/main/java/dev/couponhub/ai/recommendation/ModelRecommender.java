package dev.couponhub.ai.recommendation;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.couponhub.ai.config.AiProperties;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.converter.BeanOutputConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Asks the chat model (Spring AI {@link ChatClient}, Vertex AI Gemini in production) for picks, as structured output
 * ({@link ModelAnswer}). The call runs on a small bounded pool and is abandoned after {@code couponhub.ai.model-timeout};
 * a full pool, a time-out, an error or an unreadable answer all give "no answer", never an exception. Without a
 * {@link ChatModel} bean (no model configured) nothing is ever called.
 */
@Component
class ModelRecommender {

    private static final Logger log = LoggerFactory.getLogger(ModelRecommender.class);
    static final String LATENCY_TIMER = "couponhub.recommendations.model.latency";

    /** How one model call ended, as the {@code outcome} tag of the latency timer. */
    enum Outcome { ANSWERED, UNREADABLE, TIMEOUT, ERROR, REJECTED }

    @Nullable
    private final ChatClient client;
    private final RecommendationPrompt prompt;
    private final Duration timeout;
    private final ExecutorService executor;
    private final MeterRegistry meters;

    ModelRecommender(ObjectProvider<ChatModel> models, ObjectProvider<ObservationRegistry> observations,
                     RecommendationPrompt prompt, AiProperties properties, MeterRegistry meters) {
        ChatModel model = models.getIfUnique();
        this.client = model == null ? null
                : ChatClient.create(model, observations.getIfUnique(() -> ObservationRegistry.NOOP));
        this.prompt = prompt;
        this.timeout = properties.modelTimeout();
        this.meters = meters;
        this.executor = ContextExecutorService.wrap(pool(properties.modelThreads(), properties.modelQueue()),
                ContextSnapshotFactory.builder().build()::captureAll);
        if (model == null) {
            log.info("No chat model configured: every recommendation is the fallback ranking");
        } else {
            log.info("Recommendations ask the chat model {} (time-out {})", model.getClass().getSimpleName(), timeout);
        }
    }

    /**
     * The first structured-output call generates the answer's JSON schema and loads the template engine, which can
     * take longer than the model's time-out on a busy machine: do that work once at start, not in a shopper's request.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (client == null) {
            return;
        }
        long started = System.nanoTime();
        new BeanOutputConverter<>(ModelAnswer.class).getFormat();
        prompt.render(List.of(new PastClaim(1, 1, "CAFE", "ISSUED")), List.of(new CandidateCoupon(2, 2, "store", "CAFE",
                "coupon", "", "FIXED", 1000, 10, 1, 9, null, "ACTIVE")), 1);
        client.prompt().user("warm-up");
        log.debug("Structured output ready in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    boolean available() {
        return client != null;
    }

    /**
     * The model's picks, best first, exactly as it answered them (not yet checked), or empty when there is no model
     * or it did not give a readable answer in time.
     */
    Optional<List<ModelAnswer.Pick>> ask(List<PastClaim> history, List<CandidateCoupon> candidates, int limit) {
        if (client == null || candidates.isEmpty()) {
            return Optional.empty();
        }
        String text = prompt.render(history, candidates, limit);
        long started = System.nanoTime();
        Future<ModelAnswer> call;
        try {
            call = executor.submit(() -> client.prompt().user(text).call().entity(ModelAnswer.class));
        } catch (RejectedExecutionException busy) {
            log.warn("Every model call slot is busy: answering with the fallback ranking");
            record(Outcome.REJECTED, started);
            return Optional.empty();
        }
        try {
            ModelAnswer answer = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (answer == null || answer.items() == null) {
                record(Outcome.UNREADABLE, started);
                return Optional.empty();
            }
            record(Outcome.ANSWERED, started);
            return Optional.of(answer.items().stream().filter(pick -> pick != null).toList());
        } catch (TimeoutException slow) {
            call.cancel(true);
            log.warn("The model did not answer within {}: answering with the fallback ranking", timeout);
            record(Outcome.TIMEOUT, started);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            Outcome outcome = isUnreadable(cause) ? Outcome.UNREADABLE : Outcome.ERROR;
            log.warn("The model call failed ({}): answering with the fallback ranking: {}", outcome,
                    String.valueOf(cause));
            record(outcome, started);
        } catch (InterruptedException interrupted) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            record(Outcome.ERROR, started);
        }
        return Optional.empty();
    }

    /** An answer that came back but could not be read as {@link ModelAnswer} (e.g. malformed JSON). */
    private static boolean isUnreadable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JacksonException) {
                return true;
            }
        }
        return false;
    }

    private void record(Outcome outcome, long startedNanos) {
        Timer.builder(LATENCY_TIMER)
                .description("Time the chat model took to answer a recommendation request (or until it was given up)")
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(meters)
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    private static ThreadPoolExecutor pool(int threads, int queue) {
        AtomicInteger number = new AtomicInteger();
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, waiting, runnable -> {
            Thread thread = new Thread(runnable, "model-call-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
    }
}
