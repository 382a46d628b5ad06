-- Stores. A deleted store keeps its row (soft delete: status DELETED, deleted_at set) so that
-- other services can still resolve its owner and name; the API never shows it again.
-- `version` guards against lost updates (optimistic locking).
CREATE TABLE stores (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    owner_id    BIGINT        NOT NULL,
    name        VARCHAR(100)  NOT NULL,
    category    VARCHAR(20)   NOT NULL,
    address     VARCHAR(200)  NOT NULL,
    description VARCHAR(1000) NULL,
    status      VARCHAR(10)   NOT NULL,
    created_at  DATETIME(6)   NOT NULL,
    updated_at  DATETIME(6)   NOT NULL,
    deleted_at  DATETIME(6)   NULL,
    version     BIGINT        NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_stores_owner_id (owner_id),
    INDEX ix_stores_status_category (status, category),
    CONSTRAINT ck_stores_status CHECK (status IN ('ACTIVE', 'DELETED')),
    CONSTRAINT ck_stores_category CHECK (category IN ('FOOD', 'CAFE', 'BEAUTY', 'FASHION', 'LIFESTYLE',
                                                      'ENTERTAINMENT', 'OTHER'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
