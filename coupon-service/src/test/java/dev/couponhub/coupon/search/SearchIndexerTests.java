package dev.couponhub.coupon.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import dev.couponhub.coupon.config.SearchProperties;
import org.junit.jupiter.api.Test;

class SearchIndexerTests {

    private static SearchProperties properties(Duration initial, Duration max) {
        return new SearchProperties("coupons",
                new SearchProperties.Indexer(true, Duration.ofMillis(500), 200, initial, max));
    }

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheMaximum() {
        SearchIndexer indexer = new SearchIndexer(null, null, null, null, null,
                properties(Duration.ofSeconds(1), Duration.ofSeconds(60)), null, null);

        assertThat(indexer.backoff(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(indexer.backoff(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(indexer.backoff(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(indexer.backoff(6)).isEqualTo(Duration.ofSeconds(60));
        assertThat(indexer.backoff(10_000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void propertiesWhenInvalidThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> properties(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> properties(Duration.ZERO, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new SearchProperties("Coupons",
                new SearchProperties.Indexer(true, Duration.ofMillis(500), 200, Duration.ofSeconds(1),
                        Duration.ofSeconds(2))));
        assertThatIllegalArgumentException().isThrownBy(() -> new SearchProperties(" ",
                new SearchProperties.Indexer(true, Duration.ofMillis(500), 200, Duration.ofSeconds(1),
                        Duration.ofSeconds(2))));
        assertThatIllegalArgumentException().isThrownBy(() -> new SearchProperties.Indexer(true,
                Duration.ofMillis(500), 0, Duration.ofSeconds(1), Duration.ofSeconds(2)));
    }
}
