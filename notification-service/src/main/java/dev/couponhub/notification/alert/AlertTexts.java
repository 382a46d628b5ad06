package dev.couponhub.notification.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.couponhub.notification.config.NotificationProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Turns a coupon event's payload into an alert: title and body from {@code alerts/messages.properties} (Korean), and
 * the {@code data} fields of docs/api.md. Missing required fields make the event malformed.
 */
@Component
public class AlertTexts {

    static final String RESOURCE = "alerts/messages.properties";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy년 M월 d일 HH:mm", Locale.KOREAN);

    private final Properties messages;
    private final ZoneId zone;

    @Autowired
    AlertTexts(NotificationProperties properties) {
        this(properties.zone());
    }

    AlertTexts(ZoneId zone) {
        this.zone = zone;
        this.messages = load();
    }

    /** The alert for an event of the given type. */
    public AlertContent compose(AlertType type, JsonNode payload) {
        Map<String, String> values = new HashMap<>();
        values.put("storeName", text(payload, "storeName"));
        values.put("couponName", text(payload, "couponName"));
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        switch (type) {
            case COUPON_PUBLISHED -> {
                data.put("couponId", id(payload, "couponId"));
                data.put("storeId", id(payload, "storeId"));
                values.put("discount", discount(text(payload, "discountType"), amount(payload, "discountValue")));
                values.put("issueStartsAt", time(payload, "issueStartsAt"));
                values.put("issueEndsAt", time(payload, "issueEndsAt"));
            }
            case COUPON_OPENED -> {
                data.put("couponId", id(payload, "couponId"));
                data.put("storeId", id(payload, "storeId"));
                values.put("discount", discount(text(payload, "discountType"), amount(payload, "discountValue")));
                values.put("issueEndsAt", time(payload, "issueEndsAt"));
            }
            case COUPON_CLAIMED -> {
                data.put("issuedCouponId", id(payload, "issuedCouponId"));
                data.put("couponId", id(payload, "couponId"));
                values.put("expiresAt", time(payload, "expiresAt"));
            }
            case COUPON_GRANTED -> {
                data.put("issuedCouponId", id(payload, "issuedCouponId"));
                data.put("couponId", id(payload, "couponId"));
                data.put("storeId", id(payload, "storeId"));
                values.put("expiresAt", time(payload, "expiresAt"));
            }
            case COUPON_EXPIRING -> {
                data.put("issuedCouponId", id(payload, "issuedCouponId"));
                data.put("expiresAt", text(payload, "expiresAt"));
                values.put("expiresAt", time(payload, "expiresAt"));
            }
            case COUPON_REDEEMED -> {
                data.put("issuedCouponId", id(payload, "issuedCouponId"));
                data.put("couponId", id(payload, "couponId"));
                data.put("orderId", text(payload, "orderId"));
                long discountAmount = amount(payload, "discountAmount");
                data.put("discountAmount", discountAmount);
                values.put("orderId", text(payload, "orderId"));
                values.put("discountAmount", won(discountAmount));
            }
        }
        return new AlertContent(type, fill(type.name() + ".title", values), fill(type.name() + ".body", values), data);
    }

    /** "1,000원" for FIXED, "10%" for PERCENT. */
    static String discount(String discountType, long value) {
        return switch (discountType) {
            case "FIXED" -> won(value);
            case "PERCENT" -> value + "%";
            default -> throw new MalformedEventException("payload has an unknown discountType");
        };
    }

    static String won(long amount) {
        return NumberFormat.getIntegerInstance(Locale.KOREA).format(amount) + "원";
    }

    private String fill(String key, Map<String, String> values) {
        String template = messages.getProperty(key);
        if (template == null) {
            throw new IllegalStateException("missing message " + key + " in " + RESOURCE);
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("message " + key + " uses unknown {" + matcher.group(1) + "}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String time(JsonNode payload, String field) {
        String raw = text(payload, field);
        try {
            return TIME.format(Instant.parse(raw).atZone(zone));
        } catch (DateTimeParseException e) {
            throw new MalformedEventException(field + " is not an ISO-8601 instant", e);
        }
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.path(field);
        if (!value.isValueNode() || value.isNull() || value.asText().isBlank()) {
            throw new MalformedEventException("payload lacks " + field);
        }
        return value.asText();
    }

    private static long id(JsonNode payload, String field) {
        JsonNode value = payload.path(field);
        if (!value.canConvertToLong() || value.asLong() <= 0) {
            throw new MalformedEventException("payload lacks a positive " + field);
        }
        return value.asLong();
    }

    private static long amount(JsonNode payload, String field) {
        JsonNode value = payload.path(field);
        if (!value.canConvertToLong() || value.asLong() < 0) {
            throw new MalformedEventException("payload lacks " + field);
        }
        return value.asLong();
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = AlertTexts.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
