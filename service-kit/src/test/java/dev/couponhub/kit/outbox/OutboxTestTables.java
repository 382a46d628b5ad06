package dev.couponhub.kit.outbox;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Outbox tables as services create them (coupon-service's and store-service's {@code V2__create_outbox_events.sql}
 * and the migrations after it, under other names), and the table of the test entity {@link Parcel}.
 */
final class OutboxTestTables {

    private OutboxTestTables() {
    }

    /**
     * One row per event for several queues: {@code destination} NULL for every queue, or the one queue a row goes to
     * (coupon-service's layout since its V4 migration).
     */
    static void createFanOut(JdbcTemplate jdbc, String table) {
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS %1$s (
                    id              BIGINT       NOT NULL AUTO_INCREMENT,
                    event_id        CHAR(36)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
                    destination     VARCHAR(200) NULL,
                    type            VARCHAR(50)  NOT NULL,
                    aggregate_id    BIGINT       NOT NULL,
                    payload         LONGTEXT     NOT NULL,
                    occurred_at     DATETIME(6)  NOT NULL,
                    sent_at         DATETIME(6)  NULL,
                    attempts        INT          NOT NULL DEFAULT 0,
                    next_attempt_at DATETIME(6)  NOT NULL,
                    parked_at       DATETIME(6)  NULL,
                    trace_parent    VARCHAR(55)  CHARACTER SET ascii COLLATE ascii_bin NULL,
                    PRIMARY KEY (id),
                    INDEX ix_%1$s_sent_at_id (sent_at, id),
                    CONSTRAINT ck_%1$s_payload CHECK (JSON_VALID(payload))
                ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci""".formatted(table));
    }

    /** One row per event, all for one queue (store-service's layout). */
    static void createSingle(JdbcTemplate jdbc, String table) {
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS %1$s (
                    id              BIGINT      NOT NULL AUTO_INCREMENT,
                    event_id        CHAR(36)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
                    type            VARCHAR(50) NOT NULL,
                    aggregate_id    BIGINT      NOT NULL,
                    payload         LONGTEXT    NOT NULL,
                    occurred_at     DATETIME(6) NOT NULL,
                    sent_at         DATETIME(6) NULL,
                    attempts        INT         NOT NULL DEFAULT 0,
                    next_attempt_at DATETIME(6) NOT NULL,
                    parked_at       DATETIME(6) NULL,
                    trace_parent    VARCHAR(55) CHARACTER SET ascii COLLATE ascii_bin NULL,
                    PRIMARY KEY (id),
                    CONSTRAINT uk_%1$s_event_id UNIQUE (event_id),
                    INDEX ix_%1$s_sent_at_id (sent_at, id),
                    CONSTRAINT ck_%1$s_payload CHECK (JSON_VALID(payload))
                ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci""".formatted(table));
    }

    static void createParcels(JdbcTemplate jdbc) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS kit_outbox_parcels (id BIGINT NOT NULL, label VARCHAR(100) NOT NULL, "
                + "PRIMARY KEY (id)) ENGINE = InnoDB");
    }
}
