package dev.couponhub.notification.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Renders an alert mail from the resource templates {@code templates/mail/alert.html} and {@code alert.txt}. Every
 * value is HTML-escaped in the HTML part.
 */
@Component
class MailRenderer {

    /** A rendered mail. */
    record Rendered(String subject, String text, String html) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z]+)}}");

    private final String textTemplate = load("templates/mail/alert.txt");
    private final String htmlTemplate = load("templates/mail/alert.html");

    Rendered render(String recipientName, String title, String body) {
        String greeting = recipientName == null || recipientName.isBlank() ? "안녕하세요," : recipientName + "님, 안녕하세요.";
        Map<String, String> values = Map.of("greeting", greeting, "title", title, "body", body);
        return new Rendered(title, fill(textTemplate, values, UnaryOperator.identity()),
                fill(htmlTemplate, values, value -> HtmlUtils.htmlEscape(value, "UTF-8")));
    }

    private static String fill(String template, Map<String, String> values, UnaryOperator<String> escape) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("unknown placeholder {{" + matcher.group(1) + "}}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(escape.apply(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String load(String resource) {
        try (InputStream in = MailRenderer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
