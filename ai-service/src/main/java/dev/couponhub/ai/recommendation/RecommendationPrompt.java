package dev.couponhub.ai.recommendation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.ai.config.AiProperties;
import org.springframework.ai.chat.prompt.PromptTemplate;
import org.springframework.stereotype.Component;

/**
 * Renders the versioned prompt ({@code couponhub.ai.prompt}, by default {@code prompts/recommend-v1.st}) for one
 * shopper. It holds only that shopper's own claims and the public candidate coupons, never a user id or anything
 * about another user. Data goes in as template variables (JSON), so text written by stores is never parsed as
 * template syntax.
 */
@Component
class RecommendationPrompt {

    private static final int MAX_DESCRIPTION = 200;

    private final String template;
    private final ObjectMapper json;

    RecommendationPrompt(AiProperties properties, ObjectMapper json) {
        try {
            this.template = properties.prompt().getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the prompt template " + properties.prompt(), e);
        }
        this.json = json;
    }

    String render(List<PastClaim> history, List<CandidateCoupon> candidates, int limit) {
        return PromptTemplate.builder()
                .template(template)
                .variables(Map.of(
                        "history", toJson(history.stream().map(RecommendationPrompt::historyEntry).toList()),
                        "candidates", toJson(candidates.stream().map(RecommendationPrompt::candidateEntry).toList()),
                        "limit", limit))
                .build()
                .render();
    }

    private static Map<String, Object> historyEntry(PastClaim claim) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("couponId", claim.couponId());
        entry.put("storeId", claim.storeId());
        entry.put("category", claim.category());
        entry.put("status", claim.status());
        return entry;
    }

    private static Map<String, Object> candidateEntry(CandidateCoupon coupon) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("couponId", coupon.id());
        entry.put("name", coupon.name());
        entry.put("storeId", coupon.storeId());
        entry.put("storeName", coupon.storeName());
        entry.put("category", coupon.category());
        String description = coupon.description() == null ? "" : coupon.description();
        entry.put("description", description.length() > MAX_DESCRIPTION
                ? description.substring(0, MAX_DESCRIPTION) : description);
        entry.put("discount", "PERCENT".equals(coupon.discountType()) ? coupon.discountValue() + "%"
                : coupon.discountValue() + " KRW");
        entry.put("claimedPercent", Math.round(coupon.popularity() * 100));
        entry.put("issueEndsAt", coupon.issueEndsAt() == null ? null : coupon.issueEndsAt().toString());
        return entry;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write prompt data", e);
        }
    }
}
