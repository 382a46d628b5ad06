-- Subscriptions of shoppers to stores. store_name is the name at subscription time, refreshed when the list is read
-- and store-service answers. Fan-out reads a store's subscribers in pages by id (ix_subscriptions_store_id).
CREATE TABLE subscriptions (
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    user_id    BIGINT       NOT NULL,
    store_id   BIGINT       NOT NULL,
    store_name VARCHAR(200) NOT NULL,
    created_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_subscriptions_user_store UNIQUE (user_id, store_id),
    INDEX ix_subscriptions_store_id (store_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One alert per recipient and event: the unique key (event_id, user_id) makes a redelivered event (even one that
-- stopped halfway through a fan-out) create nothing new (INSERT IGNORE). The inbox reads by (user_id, id).
CREATE TABLE notifications (
    id         BIGINT        NOT NULL AUTO_INCREMENT,
    user_id    BIGINT        NOT NULL,
    event_id   VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    type       VARCHAR(40)   NOT NULL,
    title      VARCHAR(300)  NOT NULL,
    body       VARCHAR(2000) NOT NULL,
    data       VARCHAR(2000) NOT NULL,
    created_at DATETIME(6)   NOT NULL,
    read_at    DATETIME(6)   NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_notifications_event_user UNIQUE (event_id, user_id),
    INDEX ix_notifications_user_id (user_id, id),
    INDEX ix_notifications_user_unread (user_id, read_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Mail outbox: one row per notification, written in the same transaction. The sender claims due rows
-- (FOR UPDATE SKIP LOCKED, then a lease in next_attempt_at), sends them and sets sent_at; a failure moves
-- next_attempt_at into the future with an exponential back-off. status: PENDING, SENT, SKIPPED (no open account).
CREATE TABLE mail_outbox (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    notification_id BIGINT       NOT NULL,
    user_id         BIGINT       NOT NULL,
    status          VARCHAR(20)  NOT NULL,
    attempts        INT          NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6)  NOT NULL,
    created_at      DATETIME(6)  NOT NULL,
    sent_at         DATETIME(6)  NULL,
    last_error      VARCHAR(500) NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_mail_outbox_notification UNIQUE (notification_id),
    INDEX ix_mail_outbox_due (status, next_attempt_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
