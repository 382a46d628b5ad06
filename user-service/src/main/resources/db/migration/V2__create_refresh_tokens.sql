-- Opaque refresh tokens, stored only as the SHA-256 hex digest of the token.
-- Every token descends from one login: that chain shares `family_id`. A token is used once
-- (`rotated_at`); presenting a rotated token again revokes the whole family (`revoked_at`).
CREATE TABLE refresh_tokens (
    id         BIGINT      NOT NULL AUTO_INCREMENT,
    user_id    BIGINT      NOT NULL,
    family_id  VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    token_hash CHAR(64)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    issued_at  DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    rotated_at DATETIME(6) NULL,
    revoked_at DATETIME(6) NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_refresh_tokens_token_hash UNIQUE (token_hash),
    INDEX ix_refresh_tokens_family_id (family_id),
    INDEX ix_refresh_tokens_user_id (user_id),
    INDEX ix_refresh_tokens_expires_at (expires_at),
    CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
