package dev.couponhub.e2e;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;

/**
 * The bad values the fuzz suite puts where a parameter or a body field goes: fixed ones every run (types, bounds,
 * emptiness, characters that break naive code) and generated ones, drawn from jqwik arbitraries with the run's seed
 * (any Unicode text, edge-case and huge numbers), so that each run also tries values no earlier run tried and a
 * failing run can be replayed with its seed.
 */
final class BadValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Texts that have broken services before: emptiness, NUL, direction overrides, BOM, emoji, injection shapes. */
    static final List<String> NASTY_TEXTS = List.of("", " ", "\u0000", "a\u0000b", "\u202Eevil\u202C", "\uFEFF",
            "😀🎉", "카페에서", "null", "true", "-1", "0", "1e309", "NaN", "9".repeat(40), "' OR '1'='1",
            "<script>alert(1)</script>", "../../etc/passwd", "%s%n%x", "${jndi:ldap://x}", "\uD800", "\r\nX-Injected: 1");

    private final Random random;
    private final RandomGenerator<String> anyText;
    private final RandomGenerator<Long> anyLong;
    private final RandomGenerator<BigInteger> hugeInteger;

    BadValues(Random random) {
        this.random = random;
        this.anyText = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40).generator(100, true);
        this.anyLong = Arbitraries.longs().generator(100, true);
        Arbitrary<BigInteger> huge = Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(19), BigInteger.TEN.pow(40)).map(n -> random.nextBoolean() ? n : n.negate());
        this.hugeInteger = huge.generator(100, true);
    }

    String text() {
        return anyText.next(random).value();
    }

    long number() {
        return anyLong.next(random).value();
    }

    BigInteger huge() {
        return hugeInteger.next(random).value();
    }

    /** Values for a path segment or a query parameter, as text (encoded by the caller). */
    List<String> forParameter(String type) {
        List<String> values = new ArrayList<>(List.of("", "abc", "-1", "0", "1.5", "true", "9223372036854775808",
                "-9223372036854775809", "1e309", "NaN", "null", "😀", "\u202E1", "%00", "a".repeat(3000)));
        if (!"integer".equals(type) && !"number".equals(type)) {
            values.addAll(List.of("x".repeat(1001), "\u0000", "' OR '1'='1"));
        }
        values.add(Long.toString(number()));
        values.add(huge().toString());
        values.add(text());
        values.add(text());
        return values;
    }

    /** Values for a JSON body field whose schema type is {@code type}; {@code null} in the list means "left out". */
    List<JsonNode> forField(String type) {
        List<JsonNode> values = new ArrayList<>();
        values.add(null);
        values.add(NODES.nullNode());
        values.add(NODES.objectNode().put("nested", 1));
        values.add(NODES.arrayNode().add(1).add("two"));
        values.add(NODES.booleanNode(true));
        values.add(NODES.numberNode(-1L));
        values.add(NODES.numberNode(0L));
        values.add(NODES.numberNode(1.5));
        values.add(NODES.numberNode(Long.MIN_VALUE));
        values.add(NODES.numberNode(Long.MAX_VALUE));
        values.add(NODES.numberNode(number()));
        values.add(NODES.numberNode(huge()));
        values.add(new POJONode(new RawValue("1e400")));
        values.add(NODES.textNode(""));
        values.add(NODES.textNode("12"));
        values.add(NODES.textNode("x".repeat(100_000)));
        values.add(NODES.textNode(NASTY_TEXTS.get(random.nextInt(NASTY_TEXTS.size()))));
        values.add(NODES.textNode(NASTY_TEXTS.get(random.nextInt(NASTY_TEXTS.size()))));
        values.add(NODES.textNode(text()));
        values.add(NODES.textNode(text()));
        if ("string".equals(type)) {
            values.add(NODES.textNode("2026-02-30T25:61:00Z"));
        }
        return values;
    }
}
