package dev.couponhub.kit.outbox;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the service names its outbox queue(s): {@code couponhub.outbox.queue} or {@code
 * couponhub.outbox.queues}, in any form (a comma-separated value, a YAML list, an environment variable). A value that
 * is present but empty matches too, so that {@link OutboxProperties} refuses it at start-up instead of the outbox
 * silently missing.
 */
class OnOutboxQueuesCondition extends SpringBootCondition {

    static final List<String> PROPERTIES = List.of("couponhub.outbox.queue", "couponhub.outbox.queues");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Outbox queues");
        Environment environment = context.getEnvironment();
        Binder binder = Binder.get(environment);
        for (String name : PROPERTIES) {
            if (environment.containsProperty(name) || binder.bind(name, Bindable.listOf(String.class)).isBound()) {
                return ConditionOutcome.match(message.found("property").items(name));
            }
        }
        return ConditionOutcome.noMatch(message.didNotFind("property", "properties").items(PROPERTIES.toArray()));
    }
}
