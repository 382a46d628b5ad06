package dev.couponhub.batch.ledger;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.batch.config.StatsProperties;
import dev.couponhub.kit.messaging.EventMessages;
import dev.couponhub.kit.messaging.UnreadableMessageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records coupon events in batch-service's own ledger. A message carries one event or several
 * ({@link EventMessages}); all valid events of a message are recorded in one transaction: one multi-row insert into
 * the ledger, one into the coupon catalogue (each coupon's name and store), then the cancellation flags of the
 * redemptions and cancellations that were new. Each event is recorded once (its {@code eventId} is unique in the
 * ledger, so a redelivered message changes nothing). Elements that are not valid events are not recorded and are
 * handed back to the caller, which dead-letters them alone. Event types batch-service does not know are ignored, so
 * that coupon-service can add types without breaking it.
 *
 * <p>Meters: {@code couponhub.stats.events{outcome=recorded|duplicate}}, events new to the ledger and events it
 * already held.
 */
@Component
public class UsageLedger {

    /** Rows per insert statement; a message of more events takes several statements, still in one transaction. */
    public static final int ROWS_PER_STATEMENT = 500;

    private static final Logger log = LoggerFactory.getLogger(UsageLedger.class);
    private static final String INSERT_EVENTS = "INSERT IGNORE INTO usage_events (event_id, type, kind, coupon_id, "
            + "store_id, issued_coupon_id, order_id, discount_amount, occurred_at, day, received_at) VALUES ";
    private static final String EVENT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_COUPONS = "INSERT IGNORE INTO coupon_catalog (coupon_id, store_id, name, "
            + "first_seen) VALUES ";
    private static final String COUPON_ROW = "(?, ?, ?, ?)";
    /**
     * Which of the given events this transaction inserted: its rows carry its own {@code received_at}. (A row that
     * another transaction inserted in the same microsecond would be taken for new too; its flag logic then runs
     * twice, which changes nothing.)
     */
    private static final String INSERTED_NOW = "SELECT event_id FROM usage_events WHERE received_at = ? "
            + "AND event_id IN ";

    /**
     * A cancellation flags the redemptions of its issued coupon and order made at or before it. Both statements are
     * locking reads on the (issued coupon, order) range, so a redemption and its cancellation recorded at the same
     * time by two consumers wait for each other and the flag is never missed.
     */
    private static final String FLAG_CANCELLED = "UPDATE usage_events SET redemption_cancelled = TRUE "
            + "WHERE issued_coupon_id = ? AND order_id = ? AND kind = 2 AND occurred_at <= ?";
    private static final String CANCELLATIONS_AFTER = "SELECT COUNT(*) FROM usage_events "
            + "WHERE issued_coupon_id = ? AND order_id = ? AND kind = 3 AND occurred_at >= ? LOCK IN SHARE MODE";
    private static final String FLAG_ONE = "UPDATE usage_events SET redemption_cancelled = TRUE WHERE event_id = ?";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final StatsProperties properties;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final Counter recordedCounter;
    private final Counter duplicatesCounter;

    UsageLedger(JdbcTemplate jdbc, ObjectMapper json, StatsProperties properties, Clock clock,
                PlatformTransactionManager transactionManager, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactionManager);
        this.recordedCounter = Counter.builder("couponhub.stats.events").tag("outcome", "recorded")
                .description("Coupon events recorded in the usage ledger").register(meters);
        this.duplicatesCounter = Counter.builder("couponhub.stats.events").tag("outcome", "duplicate")
                .description("Coupon events received again and ignored").register(meters);
    }

    /**
     * What became of the events of one message.
     *
     * @param recorded   events new to the ledger
     * @param duplicates events the ledger already held, or that the message carried more than once
     * @param ignored    events of a type batch-service does not know
     * @param rejected   elements that are not valid events, in their order: not recorded, for the caller to
     *                   dead-letter
     */
    public record Outcome(int recorded, int duplicates, int ignored, List<Rejected> rejected) {
    }

    /**
     * An element of a message that is not a valid event.
     *
     * @param event  the element as received
     * @param reason why it is not valid (names a field, never repeats the content)
     */
    public record Rejected(JsonNode event, String reason) {
    }

    /**
     * Records the valid events of one SQS message (an event, or a JSON array of events) in one transaction.
     *
     * @throws UnreadableMessageException when the message carries no event at all (not JSON, or neither an object
     *                                    nor a non-empty array)
     */
    public Outcome record(String message) {
        List<JsonNode> elements = EventMessages.read(json, message);
        Map<String, UsageEvent> events = new LinkedHashMap<>();
        List<Rejected> rejected = new ArrayList<>();
        int ignored = 0;
        int repeated = 0;
        for (JsonNode element : elements) {
            Optional<UsageEvent> event;
            try {
                event = UsageEvent.read(element);
            } catch (InvalidEventException e) {
                rejected.add(new Rejected(element, e.reason()));
                continue;
            }
            if (event.isEmpty()) {
                ignored++;
                log.debug("Ignoring event {} of unknown type {}", element.path("eventId").asText(),
                        element.path("type").asText());
            } else if (events.putIfAbsent(event.get().eventId(), event.get()) != null) {
                repeated++;
            }
        }
        int recorded = 0;
        if (!events.isEmpty()) {
            List<UsageEvent> distinct = List.copyOf(events.values());
            Integer inserted = tx.execute(status -> write(distinct));
            recorded = inserted == null ? 0 : inserted;
        }
        int duplicates = events.size() - recorded + repeated;
        recordedCounter.increment(recorded);
        duplicatesCounter.increment(duplicates);
        return new Outcome(recorded, duplicates, ignored, List.copyOf(rejected));
    }

    /** Writes events of distinct ids, in the caller's transaction; answers how many were new. */
    private int write(List<UsageEvent> events) {
        LocalDateTime now = utc(clock.instant().truncatedTo(ChronoUnit.MICROS));
        // rows in key order, so that concurrent transactions lock shared keys in the same order
        List<UsageEvent> byEventId = new ArrayList<>(events);
        byEventId.sort(Comparator.comparing(UsageEvent::eventId));
        int inserted = 0;
        for (List<UsageEvent> rows : chunks(byEventId)) {
            inserted += insertEvents(rows, now);
        }
        Map<Long, UsageEvent> byCoupon = new TreeMap<>();
        events.forEach(event -> byCoupon.putIfAbsent(event.couponId(), event));
        for (List<UsageEvent> rows : chunks(List.copyOf(byCoupon.values()))) {
            insertCoupons(rows, now);
        }
        if (inserted > 0) {
            List<UsageEvent> ofOrders = events.stream().filter(event -> event.kind().concernsAnOrder()).toList();
            if (!ofOrders.isEmpty()) {
                Set<String> fresh = inserted == events.size() ? null : insertedNow(ofOrders, now);
                for (UsageEvent event : ofOrders) {
                    if (fresh == null || fresh.contains(event.eventId())) {
                        flag(event);
                    }
                }
            }
        }
        return inserted;
    }

    private int insertEvents(List<UsageEvent> rows, LocalDateTime now) {
        return jdbc.update(INSERT_EVENTS + values(EVENT_ROW, rows.size()), (PreparedStatement statement) -> {
            int i = 0;
            for (UsageEvent event : rows) {
                statement.setString(++i, event.eventId());
                statement.setString(++i, event.type());
                statement.setInt(++i, event.kind().code());
                statement.setLong(++i, event.couponId());
                statement.setLong(++i, event.storeId());
                setLong(statement, ++i, event.issuedCouponId());
                setString(statement, ++i, event.orderId());
                statement.setLong(++i, event.discountAmount());
                statement.setObject(++i, utc(event.occurredAt()));
                statement.setObject(++i, LocalDate.ofInstant(event.occurredAt(), properties.zone()));
                statement.setObject(++i, now);
            }
        });
    }

    private void insertCoupons(List<UsageEvent> rows, LocalDateTime now) {
        jdbc.update(INSERT_COUPONS + values(COUPON_ROW, rows.size()), (PreparedStatement statement) -> {
            int i = 0;
            for (UsageEvent event : rows) {
                statement.setLong(++i, event.couponId());
                statement.setLong(++i, event.storeId());
                statement.setString(++i, event.couponName());
                statement.setObject(++i, now);
            }
        });
    }

    /** The ids of the given events that this transaction inserted (at {@code now}). */
    private Set<String> insertedNow(List<UsageEvent> candidates, LocalDateTime now) {
        Set<String> fresh = new HashSet<>();
        for (List<UsageEvent> chunk : chunks(candidates)) {
            List<Object> args = new ArrayList<>(chunk.size() + 1);
            args.add(now);
            chunk.forEach(event -> args.add(event.eventId()));
            fresh.addAll(jdbc.queryForList(INSERTED_NOW + "(" + String.join(", ", Collections.nCopies(chunk.size(),
                    "?")) + ")", String.class, args.toArray()));
        }
        return fresh;
    }

    /** The cancellation flag of a redemption or cancellation new to the ledger. */
    private void flag(UsageEvent event) {
        if (event.kind() == UsageKind.REDEEMED) {
            // its cancellation may have been recorded first (SQS does not keep order)
            Integer cancellations = jdbc.queryForObject(CANCELLATIONS_AFTER, Integer.class, event.issuedCouponId(),
                    event.orderId(), utc(event.occurredAt()));
            if (cancellations != null && cancellations > 0) {
                jdbc.update(FLAG_ONE, event.eventId());
            }
        } else if (event.kind() == UsageKind.CANCELLED) {
            jdbc.update(FLAG_CANCELLED, event.issuedCouponId(), event.orderId(), utc(event.occurredAt()));
        }
    }

    private static String values(String row, int rows) {
        StringBuilder sql = new StringBuilder(rows * (row.length() + 2));
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(row);
        }
        return sql.toString();
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        if (all.isEmpty()) {
            return List.of();
        }
        if (all.size() <= ROWS_PER_STATEMENT) {
            return List.of(all);
        }
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += ROWS_PER_STATEMENT) {
            chunks.add(all.subList(from, Math.min(all.size(), from + ROWS_PER_STATEMENT)));
        }
        return chunks;
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static void setString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    /** An instant as the UTC wall-clock time that DATETIME columns hold. */
    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
