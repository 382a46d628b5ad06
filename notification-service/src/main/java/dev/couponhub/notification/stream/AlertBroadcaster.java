package dev.couponhub.notification.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.notification.alert.AlertContent;
import dev.couponhub.notification.alert.NewAlerts;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.inbox.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;

/**
 * Carries new alerts to every instance over Redis pub/sub, whichever instance created them; each instance hands
 * them to the streams it holds. One message per call: all alerts created from one SQS message (which may carry many
 * events, each with its own content) or one page of a fan-out. Alerts are grouped by content, so that a page of a
 * thousand subscribers carries its content once and the {@code [userId, notificationId]} pairs.
 */
@Component
public class AlertBroadcaster implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertBroadcaster.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);

    /** The message on the channel: groups of alerts, each group sharing one content. */
    record Broadcast(List<Group> groups) {
    }

    /**
     * Alerts with the same content.
     *
     * @param recipients {@code [userId, notificationId]} pairs
     */
    record Group(String type, String title, String body, JsonNode data, Instant createdAt, List<long[]> recipients) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final ReactiveRedisMessageListenerContainer container;
    private final ConnectionRegistry connections;
    private final ObjectMapper json;
    private final String channel;
    private volatile Disposable subscription;

    AlertBroadcaster(ReactiveStringRedisTemplate redis, ReactiveRedisMessageListenerContainer container,
                     ConnectionRegistry connections, ObjectMapper json, NotificationProperties properties) {
        this.redis = redis;
        this.container = container;
        this.connections = connections;
        this.json = json;
        this.channel = properties.broadcast().channel();
    }

    /**
     * Publishes the new alerts in one message (blocking, for the event consumer's thread). A failure is logged, not
     * thrown: the alerts are stored already, and clients catch up from the inbox or with {@code Last-Event-ID}.
     */
    public void publish(List<NewAlerts> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        try {
            redis.convertAndSend(channel, message(alerts)).block(PUBLISH_TIMEOUT);
        } catch (Exception e) {
            log.warn("Could not broadcast {} new alert(s) to the streams: {}",
                    alerts.stream().mapToInt(group -> group.deliveries().size()).sum(), e.toString());
        }
    }

    /** The message {@link #publish} sends for these alerts. */
    public String message(List<NewAlerts> alerts) {
        try {
            return json.writeValueAsString(new Broadcast(alerts.stream().map(AlertBroadcaster::group).toList()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Group group(NewAlerts alerts) {
        AlertContent content = alerts.content();
        return new Group(content.type().name(), content.title(), content.body(), content.data(), alerts.createdAt(),
                alerts.deliveries().stream()
                        .map(delivery -> new long[] {delivery.userId(), delivery.notificationId()}).toList());
    }

    /**
     * Hands a received broadcast to the local streams of its recipients, each group's event rendered once
     * ({@link RenderedAlert}). A message of the earlier form (one group, not wrapped in {@code groups}) is still read:
     * instances of both versions share the channel during a rolling deployment.
     */
    void dispatch(String message) {
        List<Group> groups;
        try {
            JsonNode tree = json.readTree(message);
            groups = tree.has("groups") ? json.treeToValue(tree, Broadcast.class).groups()
                    : List.of(json.treeToValue(tree, Group.class));
            if (groups == null) {
                groups = List.of();
            }
        } catch (Exception e) {
            log.warn("Ignoring an unreadable broadcast: {}", e.toString());
            return;
        }
        for (Group group : groups) {
            if (group == null || group.recipients() == null || group.type() == null) {
                continue;
            }
            RenderedAlert event = null; // rendered once for the group, when a recipient has a stream here
            for (long[] recipient : group.recipients()) {
                if (recipient != null && recipient.length >= 2 && connections.isConnected(recipient[0])) {
                    if (event == null) {
                        event = RenderedAlert.of(new Notification(0, group.type(), group.title(), group.body(),
                                group.data(), group.createdAt(), null), json);
                    }
                    connections.deliver(recipient[0], new StreamAlert(recipient[1], event));
                }
            }
        }
    }

    @Override
    public void start() {
        // subscribed before the application is ready, so no broadcast after start-up is missed
        subscription = ChannelSubscription.subscribe(container, channel, "Broadcast", log, this::dispatch);
    }

    @Override
    public void stop() {
        Disposable current = subscription;
        subscription = null;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }
}
