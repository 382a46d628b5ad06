package dev.couponhub.ai.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * Recommendations.
 *
 * @param modelTimeout     longest wait for the model; past it the answer is the fallback ranking
 * @param modelThreads     threads that call the model (a bounded pool: calls beyond threads + queue fall back at once)
 * @param modelQueue       model calls that may wait for a thread
 * @param promptCandidates most candidate coupons sent to the model (the best ones by the fallback ranking)
 * @param prompt           the versioned prompt template (Spring AI {@code PromptTemplate}, StringTemplate syntax)
 * @param cacheTtl         how long an answer is reused for the same shopper and limit
 * @param cacheMaxEntries  most answers kept in the cache
 */
@ConfigurationProperties("couponhub.ai")
public record AiProperties(@DefaultValue("3s") Duration modelTimeout,
                           @DefaultValue("4") int modelThreads,
                           @DefaultValue("16") int modelQueue,
                           @DefaultValue("50") int promptCandidates,
                           @DefaultValue("classpath:prompts/recommend-v1.st") Resource prompt,
                           @DefaultValue("60s") Duration cacheTtl,
                           @DefaultValue("10000") long cacheMaxEntries) {

    public AiProperties {
        if (modelTimeout.isNegative() || modelTimeout.isZero()) {
            throw new IllegalArgumentException("couponhub.ai.model-timeout must be positive");
        }
        if (modelThreads < 1 || modelQueue < 0) {
            throw new IllegalArgumentException("couponhub.ai.model-threads must be at least 1, model-queue at least 0");
        }
        if (promptCandidates < 1) {
            throw new IllegalArgumentException("couponhub.ai.prompt-candidates must be at least 1");
        }
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("couponhub.ai.cache-ttl must not be negative");
        }
    }
}
