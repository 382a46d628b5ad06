package dev.couponhub.ai;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * The chat model double of the tests: answers the canned text it was given (after an optional delay, or with a
 * failure) and remembers every prompt it received.
 */
public class ScriptedChatModel implements ChatModel {

    private volatile String answer = "{\"items\": []}";
    private volatile Duration delay = Duration.ZERO;
    private volatile RuntimeException failure;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> prompts = new CopyOnWriteArrayList<>();

    public void answer(String text) {
        this.answer = text;
        this.delay = Duration.ZERO;
        this.failure = null;
    }

    public void answerAfter(Duration delay, String text) {
        answer(text);
        this.delay = delay;
    }

    public void fail(RuntimeException failure) {
        answer("");
        this.failure = failure;
    }

    public int calls() {
        return calls.get();
    }

    public List<String> prompts() {
        return List.copyOf(prompts);
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        calls.incrementAndGet();
        prompts.add(prompt.getContents());
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return new ChatResponse(List.of(new Generation(new AssistantMessage(answer))));
    }
}
