-- One row per session (refresh-token family) that ended: logout, reuse of a rotated refresh token, a password change
-- or closing the account. Gateways read it by `id` (GET /internal/v1/session-revocations?after=) to refuse the access
-- tokens whose `sid` names the session. Rows are purged once no access token of the session can still be valid.
CREATE TABLE session_revocations (
    id         BIGINT      NOT NULL AUTO_INCREMENT,
    session_id VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_id    BIGINT      NOT NULL,
    revoked_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_session_revocations_revoked_at (revoked_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A reader pages by `id`, so ids must become visible in the order they were given: a revocation locks this one row
-- (by primary key) before it inserts and keeps the lock until it commits, so no smaller id can commit after a larger
-- one has been read.
CREATE TABLE session_revocation_writer (
    id TINYINT NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB;

INSERT INTO session_revocation_writer (id) VALUES (1);
