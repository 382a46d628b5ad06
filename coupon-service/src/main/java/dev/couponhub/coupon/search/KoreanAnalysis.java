package dev.couponhub.coupon.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.KoreanReadingFormFilter;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.springframework.stereotype.Component;

/**
 * The words of a coupon's text, and of a search, as Lucene's Korean morphological analyzer (nori, with its bundled
 * mecab-ko-dic dictionary) finds them: particles and endings dropped ({@code 카페에서} gives {@code 카페}), compounds
 * kept and split ({@code 아메리카노할인} gives {@code 아메리카노할인}, {@code 아메리카노}, {@code 할인}), Hanja read as Hangul,
 * Latin words and numbers kept, everything lower case.
 *
 * <p>The analysis happens here, in coupon-service, for the documents and for the queries alike; Elasticsearch only
 * splits the result at spaces ({@code whitespace} analyzer). So every Elasticsearch analyses the same (the
 * {@code analysis-nori} plugin is not on the package registries this project builds from, and a managed service's
 * plugin version could drift from ours), and local runs, tests and production search alike.
 */
@Component
public class KoreanAnalysis {

    /** Most characters analysed of one text (a description is at most 1,000; anything beyond is cut). */
    static final int MAX_CHARS = 4_000;

    private final Analyzer analyzer = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer tokenizer = new KoreanTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, null,
                    KoreanTokenizer.DecompoundMode.MIXED, false, true);
            TokenStream words = new KoreanPartOfSpeechStopFilter(tokenizer,
                    KoreanPartOfSpeechStopFilter.DEFAULT_STOP_TAGS);
            words = new KoreanReadingFormFilter(words);
            return new TokenStreamComponents(tokenizer, new LowerCaseFilter(words));
        }
    };

    /** The text's words in order (a repeated word as often as it appears), separated by single spaces; "" for none. */
    public String words(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String input = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        List<String> words = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("text", input)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                if (term.length() > 0) {
                    words.add(term.toString());
                }
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing a string cannot fail on I/O", e);
        }
        return String.join(" ", words);
    }
}
