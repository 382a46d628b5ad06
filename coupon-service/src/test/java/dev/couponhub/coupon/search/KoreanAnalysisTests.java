package dev.couponhub.coupon.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The words coupon text and searches are reduced to: what shoppers type must meet what owners wrote. */
class KoreanAnalysisTests {

    private final KoreanAnalysis analysis = new KoreanAnalysis();

    private List<String> words(String text) {
        String words = analysis.words(text);
        return words.isEmpty() ? List.of() : List.of(words.split(" "));
    }

    @Test
    void particlesAndEndingsThenDroppedFromTheWord() {
        assertThat(words("카페에서")).containsExactly("카페");
        assertThat(words("아메리카노를")).containsExactly("아메리카노");
        assertThat(words("강남역에서 커피를 마셨다")).contains("강남", "커피").doesNotContain("에서", "를");
    }

    @Test
    void compoundThenKeptWholeAndSplitIntoItsWords() {
        assertThat(words("아메리카노할인")).contains("아메리카노", "할인");
        assertThat(words("아메리카노 할인")).containsExactly("아메리카노", "할인");
    }

    @Test
    void koreanEnglishAndNumbersMixedThenEachKeptLowerCase() {
        List<String> words = words("커피 Americano 2+1 쿠폰 50%할인");
        assertThat(words).containsExactly("커피", "americano", "2", "1", "쿠폰", "50", "할인");
    }

    @Test
    void wordOutsideTheDictionaryThenSplitTheSameWayInTextAndQuery() {
        // "스타벅스" is not in the dictionary: split into parts, but the same parts whatever follows it
        assertThat(words("스타벅스")).isNotEmpty();
        assertThat(words("스타벅스에서")).isEqualTo(words("스타벅스"));
        assertThat(words("스타벅스 아메리카노")).containsSubsequence(words("스타벅스"));
    }

    @Test
    void blankOrOnlySignsThenNoWords() {
        assertThat(analysis.words(null)).isEmpty();
        assertThat(analysis.words("   ")).isEmpty();
        assertThat(analysis.words("!!! ???")).isEmpty();
    }

    @Test
    void veryLongTextThenAnalysedUpToTheLimitOnly() {
        String text = "할인 ".repeat(KoreanAnalysis.MAX_CHARS / 3) + "americano";

        assertThat(text.length()).isGreaterThan(KoreanAnalysis.MAX_CHARS);
        assertThat(words(text)).contains("할인").doesNotContain("americano");
    }
}
