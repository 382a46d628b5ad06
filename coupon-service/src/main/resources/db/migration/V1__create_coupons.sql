-- What coupon-service knows about stores: filled from store-service's gRPC answer when a coupon is published
-- and kept current by store events (STORE_UPDATED, STORE_DELETED). Never read from store-service's schema.
CREATE TABLE store_snapshots (
    id         BIGINT       NOT NULL,
    owner_id   BIGINT       NOT NULL,
    name       VARCHAR(100) NOT NULL,
    category   VARCHAR(20)  NOT NULL,
    deleted    BOOLEAN      NOT NULL DEFAULT FALSE,
    updated_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Coupons. `status` is not stored: it is derived from the clock, `ended_at` and the stock.
CREATE TABLE coupons (
    id                     BIGINT        NOT NULL AUTO_INCREMENT,
    store_id               BIGINT        NOT NULL,
    name                   VARCHAR(100)  NOT NULL,
    description            VARCHAR(1000) NULL,
    discount_type          VARCHAR(10)   NOT NULL,
    discount_value         BIGINT        NOT NULL,
    min_order_amount       BIGINT        NOT NULL,
    max_discount_amount    BIGINT        NULL,
    total_quantity         BIGINT        NOT NULL,
    issued_quantity        BIGINT        NOT NULL DEFAULT 0,
    per_user_limit         INT           NOT NULL,
    issue_starts_at        DATETIME(6)   NOT NULL,
    issue_ends_at          DATETIME(6)   NOT NULL,
    valid_until            DATETIME(6)   NULL,
    valid_days_after_issue INT           NULL,
    ended_at               DATETIME(6)   NULL,
    created_at             DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_coupons_store_id (store_id),
    INDEX ix_coupons_issue_ends_at (issue_ends_at),
    INDEX ix_coupons_issued_quantity (issued_quantity),
    CONSTRAINT fk_coupons_store FOREIGN KEY (store_id) REFERENCES store_snapshots (id),
    CONSTRAINT ck_coupons_discount_type CHECK (discount_type IN ('FIXED', 'PERCENT')),
    CONSTRAINT ck_coupons_issued CHECK (issued_quantity >= 0 AND issued_quantity <= total_quantity)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Issued coupons: MySQL is the truth of a claim. `seq` (1..total_quantity) and `user_seq` (1..per_user_limit) make
-- over-issuing impossible even if the Redis gate were wrong: each value can be used once per coupon (and user).
CREATE TABLE issued_coupons (
    id                   BIGINT       NOT NULL AUTO_INCREMENT,
    coupon_id            BIGINT       NOT NULL,
    user_id              BIGINT       NOT NULL,
    seq                  BIGINT       NOT NULL,
    user_seq             INT          NOT NULL,
    code                 CHAR(12)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    status               VARCHAR(10)  NOT NULL,
    issued_at            DATETIME(6)  NOT NULL,
    expires_at           DATETIME(6)  NOT NULL,
    redeemed_at          DATETIME(6)  NULL,
    order_id             VARCHAR(64)  NULL,
    order_amount         BIGINT       NULL,
    discount_amount      BIGINT       NULL,
    idempotency_key      VARCHAR(100) NULL,
    expiring_notified_at DATETIME(6)  NULL,
    version              BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    CONSTRAINT uk_issued_coupons_seq UNIQUE (coupon_id, seq),
    CONSTRAINT uk_issued_coupons_user_seq UNIQUE (coupon_id, user_id, user_seq),
    CONSTRAINT uk_issued_coupons_code UNIQUE (code),
    CONSTRAINT uk_issued_coupons_idempotency UNIQUE (user_id, idempotency_key),
    INDEX ix_issued_coupons_user (user_id, id),
    INDEX ix_issued_coupons_status_expires (status, expires_at),
    CONSTRAINT fk_issued_coupons_coupon FOREIGN KEY (coupon_id) REFERENCES coupons (id),
    CONSTRAINT ck_issued_coupons_status CHECK (status IN ('ISSUED', 'REDEEMED', 'EXPIRED')),
    CONSTRAINT ck_issued_coupons_seq CHECK (seq >= 1 AND user_seq >= 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Store events already applied (consumers are idempotent by eventId).
CREATE TABLE processed_events (
    event_id     VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    processed_at DATETIME(6) NOT NULL,
    PRIMARY KEY (event_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
