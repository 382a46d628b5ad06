package dev.couponhub.batch.ledger;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.batch.config.StatsProperties;
import dev.couponhub.kit.messaging.DeadLetters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What the listener does with messages that are not all valid events (the database is never reached here: a message
 * with no valid event needs none). Recording valid events is {@code PackedEventMessagesIT}'s, on the real database.
 */
class UsageEventListenerTests {

    private static final String QUEUE = "stats-queue";

    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final DeadLetters deadLetters = mock(DeadLetters.class);
    private final UsageEventListener listener = new UsageEventListener(new UsageLedger(jdbc, new ObjectMapper(),
            properties(), Clock.systemUTC(), mock(PlatformTransactionManager.class), new SimpleMeterRegistry()),
            deadLetters, properties());

    @Test
    void invalidEventsThenEachDeadLetteredAloneWithItsReasonAndTheMessageAcknowledged() {
        String noCoupon = "{\"eventId\":\"bad-1\",\"type\":\"COUPON_CLAIMED\",\"occurredAt\":\"2026-05-01T00:00:00Z\","
                + "\"payload\":{}}";
        String badTime = "{\"eventId\":\"bad-2\",\"type\":\"COUPON_EXPIRED\",\"occurredAt\":\"soon\"}";

        assertThatNoException().isThrownBy(() -> listener.onMessage("[" + noCoupon + "," + badTime + ",7]"));

        verify(deadLetters).send(eq(QUEUE), eq(noCoupon), contains("couponId"));
        verify(deadLetters).send(eq(QUEUE), eq(badTime), contains("occurredAt"));
        verify(deadLetters).send(eq(QUEUE), eq("7"), contains("not a JSON object"));
        verifyNoInteractions(jdbc);
    }

    @Test
    void singleInvalidEventThenDeadLetteredAsItIs() {
        String bad = "{\"eventId\":\"bad-3\",\"type\":\"COUPON_CLAIMED\"}";

        listener.onMessage(bad);

        verify(deadLetters).send(eq(QUEUE), eq(bad), contains("occurredAt"));
    }

    @Test
    void deadLetterQueueRefusesThenTheMessageFailsSoThatItComesBack() {
        doThrow(new IllegalStateException("cannot dead-letter")).when(deadLetters)
                .send(anyString(), anyString(), anyString());

        assertThatThrownBy(() -> listener.onMessage("[{\"eventId\":\"bad-4\"}]"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void noEventAtAllThenDeadLetteredWholeAtOnceWithItsReason() {
        for (String body : new String[] {"not json", "\"a string\"", "[]", "42"}) {
            assertThatNoException().as(body).isThrownBy(() -> listener.onMessage(body));
        }
        verify(deadLetters).send(eq(QUEUE), eq("not json"), contains("not JSON"));
        verify(deadLetters).send(eq(QUEUE), eq("\"a string\""), contains("neither"));
        verify(deadLetters).send(eq(QUEUE), eq("[]"), contains("neither"));
        verify(deadLetters).send(eq(QUEUE), eq("42"), contains("neither"));
        verifyNoInteractions(jdbc);
    }

    private static StatsProperties properties() {
        return new StatsProperties(ZoneId.of("Asia/Seoul"), QUEUE, true, 1000, 366,
                new StatsProperties.Schedule(true, Duration.ofMinutes(5), "0 10 0 * * *", Duration.ofMinutes(10)));
    }
}
