package dev.couponhub.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EventMessagesTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readWhenOneEventThenThatEvent() {
        List<JsonNode> events = EventMessages.read(JSON, "{\"eventId\":\"e1\",\"type\":\"T\",\"payload\":{}}");

        assertThat(events).singleElement().satisfies(event -> assertThat(event.path("eventId").asText()).isEqualTo("e1"));
    }

    @Test
    void readWhenAnArrayThenItsElementsInOrderEvenTheOnesThatAreNoEvent() {
        List<JsonNode> events = EventMessages.read(JSON, "[{\"eventId\":\"e1\"},42,{\"eventId\":\"e3\"}]");

        assertThat(events).hasSize(3);
        assertThat(events.get(0).path("eventId").asText()).isEqualTo("e1");
        assertThat(events.get(1).isNumber()).isTrue();
        assertThat(events.get(2).path("eventId").asText()).isEqualTo("e3");
    }

    @Test
    void readWhenNoEventAtAllThenUnreadable() {
        for (String body : new String[] {"not json", "", "[]", "42", "\"text\"", "null", "{\"a\":1"}) {
            assertThatThrownBy(() -> EventMessages.read(JSON, body)).as(body)
                    .isInstanceOf(UnreadableMessageException.class);
        }
        assertThatThrownBy(() -> EventMessages.read(JSON, null)).isInstanceOf(UnreadableMessageException.class);
    }

    @Test
    void packThenAloneStaysPlainAndSeveralBecomeAnArrayThatReadsBack() {
        assertThat(EventMessages.pack(List.of("{\"eventId\":\"e1\"}"))).isEqualTo("{\"eventId\":\"e1\"}");

        String body = EventMessages.pack(List.of("{\"eventId\":\"e1\"}", "{\"eventId\":\"e2\"}"));

        assertThat(body).isEqualTo("[{\"eventId\":\"e1\"},{\"eventId\":\"e2\"}]");
        assertThat(EventMessages.read(JSON, body)).extracting(event -> event.path("eventId").asText())
                .containsExactly("e1", "e2");
        assertThatThrownBy(() -> EventMessages.pack(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
