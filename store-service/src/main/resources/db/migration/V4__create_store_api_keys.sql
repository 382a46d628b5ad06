-- API keys of a store's own servers (partners). Only a SHA-256 hash of each key is kept: keys are 240-bit random
-- strings, so a fast hash is as safe as a slow one and lets the gateway look a key up by its hash. A deleted key's row
-- is gone; a deleted store's keys are deleted with it.
CREATE TABLE store_api_keys (
    id           BIGINT       NOT NULL AUTO_INCREMENT,
    store_id     BIGINT       NOT NULL,
    name         VARCHAR(100) NOT NULL,
    prefix       VARCHAR(16)  NOT NULL,
    key_hash     BINARY(32)   NOT NULL,
    created_at   DATETIME(6)  NOT NULL,
    last_used_at DATETIME(6)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_store_api_keys_hash UNIQUE (key_hash),
    INDEX ix_store_api_keys_store (store_id),
    CONSTRAINT fk_store_api_keys_store FOREIGN KEY (store_id) REFERENCES stores (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
