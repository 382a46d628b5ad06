package dev.couponhub.ai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.vertexai.gemini.VertexAiGeminiChatModel;
import org.springframework.ai.vertexai.gemini.VertexAiGeminiChatOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * With {@code COUPONHUB_AI_MODEL=vertexai} and a Vertex AI project the service starts with the Gemini chat model and
 * the options of application.yml. Nothing is sent to Google here (no credentials; no recommendation is asked).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "COUPONHUB_AI_MODEL=vertexai",
        "spring.ai.vertex.ai.gemini.project-id=couponhub-test",
        "grpc.client.coupon-service.address=in-process:" + FakeCouponService.NAME,
})
class VertexAiConfigIT {

    @Autowired
    ChatModel chatModel;

    @Test
    void startsWithTheGeminiChatModelWhenConfigured() {
        assertThat(chatModel).isInstanceOf(VertexAiGeminiChatModel.class);
        VertexAiGeminiChatOptions options = (VertexAiGeminiChatOptions) chatModel.getDefaultOptions();
        assertThat(options.getModel()).isEqualTo("gemini-2.0-flash");
        assertThat(options.getResponseMimeType()).isEqualTo("application/json");
        assertThat(options.getTemperature()).isEqualTo(0.2);
    }
}
