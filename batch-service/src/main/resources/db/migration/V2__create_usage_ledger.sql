-- The usage ledger: one row per coupon event received from coupon-service (queue coupon-events-stats). Append-only;
-- the unique event_id makes a redelivered message a no-op. `day` is the calendar day of occurred_at in the service
-- zone (couponhub.stats.zone), fixed when the event is recorded. `kind` is what the event counts as:
-- 1 issued (COUPON_CLAIMED), 2 redeemed (COUPON_REDEEMED), 3 cancelled (COUPON_REDEMPTION_CANCELLED),
-- 4 expired (COUPON_EXPIRED), 0 nothing (other types, kept for the record).
CREATE TABLE usage_events (
    id               BIGINT       NOT NULL AUTO_INCREMENT,
    event_id         VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    type             VARCHAR(40)  NOT NULL,
    kind             TINYINT      NOT NULL,
    coupon_id        BIGINT       NOT NULL,
    store_id         BIGINT       NOT NULL,
    issued_coupon_id BIGINT       NULL,
    order_id         VARCHAR(64)  NULL,
    discount_amount  BIGINT       NOT NULL DEFAULT 0,
    occurred_at      DATETIME(6)  NOT NULL,
    day              DATE         NOT NULL,
    received_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_usage_events_event UNIQUE (event_id),
    -- the job reads a range of days grouped by coupon from this index alone
    INDEX ix_usage_events_day (day, coupon_id, kind, discount_amount),
    -- "was this redemption cancelled later?"
    INDEX ix_usage_events_redemption (issued_coupon_id, order_id, kind, occurred_at),
    CONSTRAINT ck_usage_events_kind CHECK (kind BETWEEN 0 AND 4)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Coupons seen in events, with their store and name, so that statistics name their coupons and list every coupon of a
-- store (zero days included) without asking coupon-service.
CREATE TABLE coupon_catalog (
    coupon_id  BIGINT       NOT NULL,
    store_id   BIGINT       NOT NULL,
    name       VARCHAR(200) NOT NULL,
    first_seen DATETIME(6)  NOT NULL,
    PRIMARY KEY (coupon_id),
    INDEX ix_coupon_catalog_store (store_id, coupon_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- What job coupon-usage-stats computed, per coupon and day. A run over a day recomputes that day from the ledger and
-- overwrites these rows, so reruns never double count.
CREATE TABLE coupon_daily_stats (
    coupon_id      BIGINT      NOT NULL,
    day            DATE        NOT NULL,
    issued         BIGINT      NOT NULL,
    redeemed       BIGINT      NOT NULL,
    cancelled      BIGINT      NOT NULL,
    expired        BIGINT      NOT NULL,
    discount_total BIGINT      NOT NULL,
    computed_at    DATETIME(6) NOT NULL,
    PRIMARY KEY (coupon_id, day)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
