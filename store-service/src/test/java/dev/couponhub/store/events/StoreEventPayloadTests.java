package dev.couponhub.store.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** The payloads consumers rely on: exactly the documented fields. */
class StoreEventPayloadTests {

    private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

    @Test
    void storeUpdatedThenStoreIdOwnerIdNameCategoryVersion() throws Exception {
        StoreUpdated event = new StoreUpdated(5, 7, "Cafe", "CAFE", 3);

        assertThat(json.readTree(json.writeValueAsString(event)))
                .isEqualTo(json.readTree("{\"storeId\":5,\"ownerId\":7,\"name\":\"Cafe\",\"category\":\"CAFE\",\"version\":3}"));
        assertThat(event.type()).isEqualTo("STORE_UPDATED");
        assertThat(event.aggregateId()).isEqualTo(5);
    }

    @Test
    void storeDeletedThenStoreIdOwnerIdVersion() throws Exception {
        StoreDeleted event = new StoreDeleted(5, 7, 4);

        assertThat(json.readTree(json.writeValueAsString(event)))
                .isEqualTo(json.readTree("{\"storeId\":5,\"ownerId\":7,\"version\":4}"));
        assertThat(event.type()).isEqualTo("STORE_DELETED");
        assertThat(event.aggregateId()).isEqualTo(5);
    }
}
