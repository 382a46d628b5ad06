package dev.couponhub.store.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoreSearchTests {

    @Test
    void containsPatternThenLowerCaseWrappedInWildcards() {
        assertThat(StoreSearch.containsPattern("Cafe")).isEqualTo("%cafe%");
    }

    @Test
    void containsPatternThenLikeWildcardsAndEscapeAreEscaped() {
        assertThat(StoreSearch.containsPattern("100%_off!")).isEqualTo("%100!%!_off!!%");
    }

    @Test
    void containsPatternKeepsKorean() {
        assertThat(StoreSearch.containsPattern("한강 카페")).isEqualTo("%한강 카페%");
    }

    @Test
    void containsPatternKeepsBackslashAsIs() {
        assertThat(StoreSearch.containsPattern("a\\b")).isEqualTo("%a\\b%");
    }
}
