package dev.couponhub.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.kit.messaging.EventMessages;
import org.junit.jupiter.api.Test;

/** How the relay packs the events of one queue into messages, and messages into SendMessageBatch requests. */
class OutboxPackingTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onePerMessageThenEachMessageIsThePlainEvent() throws Exception {
        List<OutboxEntry> due = entries(3, 10);

        List<OutboxRelay.Message> messages = OutboxRelay.pack(due, 1);

        assertThat(messages).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(messages.get(i).entries()).containsExactly(due.get(i));
            assertThat(messages.get(i).body()).isEqualTo(due.get(i).message());
            assertThat(JSON.readTree(messages.get(i).body()).isObject()).isTrue();
        }
    }

    @Test
    void severalPerMessageWhenAnEventWasRefusedBeforeThenItTravelsAloneInItsPlace() throws Exception {
        List<OutboxEntry> due = new ArrayList<>(entries(5, 10));
        OutboxEntry refused = due.get(2);
        due.set(2, new OutboxEntry(refused.id(), refused.eventId(), refused.destination(), refused.type(),
                refused.payload(), refused.occurredAt(), 1));

        List<OutboxRelay.Message> messages = OutboxRelay.pack(due, 10);

        assertThat(messages).extracting(OutboxRelay.Message::entries)
                .containsExactly(due.subList(0, 2), List.of(due.get(2)), due.subList(3, 5));
        assertThat(JSON.readTree(messages.get(1).body()).isObject()).isTrue();
    }

    @Test
    void severalPerMessageThenArraysOfThatSizeInOrderAndEveryEventOnce() {
        List<OutboxEntry> due = entries(23, 10);

        List<OutboxRelay.Message> messages = OutboxRelay.pack(due, 10);

        assertThat(messages).extracting(message -> message.entries().size()).containsExactly(10, 10, 3);
        List<String> eventIds = new ArrayList<>();
        for (OutboxRelay.Message message : messages) {
            List<JsonNode> events = EventMessages.read(JSON, message.body());
            assertThat(events).extracting(event -> event.path("eventId").asText())
                    .containsExactlyElementsOf(message.entries().stream().map(OutboxEntry::eventId).toList());
            events.forEach(event -> eventIds.add(event.path("eventId").asText()));
        }
        assertThat(eventIds).containsExactlyElementsOf(due.stream().map(OutboxEntry::eventId).toList());
    }

    @Test
    void bigEventsThenAMessageStopsBeforeItsSizeLimitCountedInUtf8Bytes() {
        // each payload about 10,000 UTF-8 bytes of three-byte characters: six fit in 64 KiB, seven do not
        List<OutboxEntry> due = entries(14, 3_333, "쿠");

        List<OutboxRelay.Message> messages = OutboxRelay.pack(due, 1000);

        assertThat(messages).extracting(message -> message.entries().size()).containsExactly(6, 6, 2);
        assertThat(messages).allSatisfy(message -> assertThat(OutboxRelay.utf8Length(message.body()))
                .isLessThanOrEqualTo(OutboxRelay.MAX_MESSAGE_BYTES));
    }

    @Test
    void requestsThenAtMostTenMessagesAndTheRequestSizeLimit() {
        List<OutboxRelay.Message> small = OutboxRelay.pack(entries(25, 10), 1);
        assertThat(OutboxRelay.requests(small)).extracting(List::size).containsExactly(10, 10, 5);

        // about 60 KB per message: four of them stay under 240 KiB, five would not
        List<OutboxRelay.Message> big = OutboxRelay.pack(entries(9, 20_000, "쿠"), 1);
        List<List<OutboxRelay.Message>> requests = OutboxRelay.requests(big);
        assertThat(requests).extracting(List::size).containsExactly(4, 4, 1);
        assertThat(requests).allSatisfy(request -> assertThat(request.stream()
                .mapToInt(message -> OutboxRelay.utf8Length(message.body())).sum())
                .isLessThanOrEqualTo(OutboxRelay.MAX_REQUEST_BYTES));
    }

    @Test
    void utf8LengthCountsBytesNotCharacters() {
        assertThat(OutboxRelay.utf8Length("a")).isEqualTo(1);
        assertThat(OutboxRelay.utf8Length("é")).isEqualTo(2);
        assertThat(OutboxRelay.utf8Length("쿠")).isEqualTo(3);
        assertThat(OutboxRelay.utf8Length("😀")).isEqualTo(4);
        assertThat(OutboxRelay.utf8Length("a쿠😀")).isEqualTo("a쿠😀".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                .length);
    }

    private static List<OutboxEntry> entries(int count, int labelLength) {
        return entries(count, labelLength, "x");
    }

    private static List<OutboxEntry> entries(int count, int labelLength, String letter) {
        List<OutboxEntry> entries = new ArrayList<>();
        String label = letter.repeat(labelLength);
        for (int i = 0; i < count; i++) {
            entries.add(new OutboxEntry(i + 1, UUID.randomUUID().toString(), "q", "PARCEL_SHIPPED",
                    "{\"parcelId\":" + i + ",\"label\":\"" + label + "\"}", Instant.parse("2026-12-03T10:00:00Z"), 0));
        }
        return entries;
    }
}
