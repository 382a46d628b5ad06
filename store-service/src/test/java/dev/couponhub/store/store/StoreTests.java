package dev.couponhub.store.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class StoreTests {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final StoreDetails DETAILS = new StoreDetails("Cafe", Category.CAFE, "Street 1", null);

    @Test
    void openThenActiveOwnedAndStamped() {
        Store store = Store.open(7, DETAILS, T0);

        assertThat(store.isActive()).isTrue();
        assertThat(store.status()).isEqualTo(StoreStatus.ACTIVE);
        assertThat(store.isOwnedBy(7)).isTrue();
        assertThat(store.isOwnedBy(8)).isFalse();
        assertThat(store.details()).isEqualTo(DETAILS);
        assertThat(store.createdAt()).isEqualTo(T0);
        assertThat(store.updatedAt()).isEqualTo(T0);
        assertThat(store.deletedAt()).isNull();
    }

    @Test
    void openWhenOwnerNotPositiveThenRefused() {
        assertThatThrownBy(() -> Store.open(0, DETAILS, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void updateWhenDifferentThenAppliedAndStamped() {
        Store store = Store.open(7, DETAILS, T0);
        StoreDetails changed = new StoreDetails("Bistro", Category.FOOD, "Street 2", "Nice");

        assertThat(store.update(changed, T1)).isTrue();

        assertThat(store.details()).isEqualTo(changed);
        assertThat(store.updatedAt()).isEqualTo(T1);
        assertThat(store.createdAt()).isEqualTo(T0);
    }

    @Test
    void updateWhenSameThenNothingChanges() {
        Store store = Store.open(7, DETAILS, T0);

        assertThat(store.update(new StoreDetails("Cafe", Category.CAFE, "Street 1", null), T1)).isFalse();

        assertThat(store.updatedAt()).isEqualTo(T0);
    }

    @Test
    void deleteThenDeletedAndFrozen() {
        Store store = Store.open(7, DETAILS, T0);

        store.delete(T1);

        assertThat(store.isActive()).isFalse();
        assertThat(store.status()).isEqualTo(StoreStatus.DELETED);
        assertThat(store.deletedAt()).isEqualTo(T1);
        assertThatThrownBy(() -> store.delete(T1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.update(DETAILS, T1)).isInstanceOf(IllegalStateException.class);
    }
}
