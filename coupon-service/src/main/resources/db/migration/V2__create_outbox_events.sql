-- Transactional outbox: each coupon change inserts its event here in the same transaction, one row per destination
-- queue (the same event_id on each). A relay sends unsent rows to their queue (oldest first), sets `sent_at`, and
-- purges sent rows after a retention period. A failed send increments `attempts` and moves `next_attempt_at` into
-- the future (back-off).
CREATE TABLE outbox_events (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    event_id        CHAR(36)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    destination     VARCHAR(200) NOT NULL,
    type            VARCHAR(50)  NOT NULL,
    aggregate_id    BIGINT       NOT NULL,
    payload         LONGTEXT     NOT NULL,
    occurred_at     DATETIME(6)  NOT NULL,
    sent_at         DATETIME(6)  NULL,
    attempts        INT          NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_outbox_events_event_destination UNIQUE (event_id, destination),
    INDEX ix_outbox_events_sent_at_id (sent_at, id),
    CONSTRAINT ck_outbox_events_payload CHECK (JSON_VALID(payload))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
