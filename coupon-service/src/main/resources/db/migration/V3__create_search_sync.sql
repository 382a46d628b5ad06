-- Coupons whose search document must be (re)written. A coupon change that affects its document upserts its row here in
-- the same transaction; the search indexer writes the documents of due rows to Elasticsearch and deletes each row
-- only if `requested_at` is still the value it read (a change made meanwhile is indexed on a later run). A failed
-- write increments `attempts` and moves `next_attempt_at` into the future (back-off).
CREATE TABLE search_sync (
    coupon_id       BIGINT      NOT NULL,
    requested_at    DATETIME(6) NOT NULL,
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6) NOT NULL,
    PRIMARY KEY (coupon_id),
    INDEX ix_search_sync_next_attempt_at (next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
