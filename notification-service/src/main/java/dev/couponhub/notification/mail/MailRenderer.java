package dev.couponhub.notification.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Renders an alert mail from the resource templates {@code templates/mail/alert.html} and {@code alert.txt}: one alert
 * (subject and heading its title, then its text) or several alerts of one recipient gathered into one mail (subject
 * and heading "Couponhub 새 알림 n건", then each alert's title and text, in the order given). Every value is
 * HTML-escaped in the HTML part.
 */
@Component
class MailRenderer {

    /** A rendered mail. */
    record Rendered(String subject, String text, String html) {
    }

    /** One alert of the mail. */
    record Alert(String title, String body) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z]+)}}");
    private static final String GATHERED_SUBJECT = "Couponhub 새 알림 %d건";
    private static final String HTML_TITLE =
            "            <h2 style=\"margin:0 0 8px;font-size:17px;line-height:1.4;color:#1f2933;\">%s</h2>\n";
    private static final String HTML_BODY =
            "            <p style=\"margin:0 0 24px;font-size:16px;line-height:1.7;color:#323f4b;\">%s</p>\n";

    private final String textTemplate = load("templates/mail/alert.txt");
    private final String htmlTemplate = load("templates/mail/alert.html");

    /** The mail of the given alerts of one recipient (at least one), oldest first. */
    Rendered render(String recipientName, List<Alert> alerts) {
        if (alerts.isEmpty()) {
            throw new IllegalArgumentException("a mail needs at least one alert");
        }
        String greeting = recipientName == null || recipientName.isBlank() ? "안녕하세요," : recipientName + "님, 안녕하세요.";
        boolean gathered = alerts.size() > 1;
        String heading = gathered ? GATHERED_SUBJECT.formatted(alerts.size()) : alerts.get(0).title();
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (Alert alert : alerts) {
            if (gathered) {
                text.append(text.isEmpty() ? "" : "\n\n").append("■ ").append(alert.title()).append('\n');
                html.append(HTML_TITLE.formatted(escape(alert.title())));
            }
            text.append(alert.body());
            html.append(HTML_BODY.formatted(escape(alert.body())));
        }
        html.setLength(html.length() - 1); // the template puts the line break after the block
        return new Rendered(heading,
                fill(textTemplate, Map.of("greeting", greeting, "heading", heading, "alerts", text.toString())),
                fill(htmlTemplate, Map.of("greeting", escape(greeting), "heading", escape(heading),
                        "alerts", html.toString())));
    }

    private static String escape(String value) {
        return HtmlUtils.htmlEscape(value, "UTF-8");
    }

    /** Fills the placeholders with the values as given (the caller escapes them for HTML). */
    private static String fill(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("unknown placeholder {{" + matcher.group(1) + "}}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
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
