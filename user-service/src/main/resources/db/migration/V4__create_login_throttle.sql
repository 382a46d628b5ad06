-- Failed logins per email, for the login throttle: 5 failures for one email within 15 minutes refuse its logins
-- (429 LOGIN_THROTTLED) until the oldest of them is 15 minutes old. The email is never stored: `email_hash` is the
-- SHA-256 hex of the normalized (trimmed, lower-cased) address, whether or not an account has it.

-- One row per email that tried to log in recently. A login locks its email's row by primary key (SELECT ... FOR
-- UPDATE) while it counts and records failures, so that the logins of one email take turns; the row holds nothing
-- else, and the purge may delete it at any time (the next login creates it again).
CREATE TABLE login_throttle_gates (
    email_hash CHAR(64)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (email_hash),
    INDEX ix_login_throttle_gates_created_at (created_at)
) ENGINE = InnoDB;

-- One row per login that was let through to the password check and did not succeed (a success deletes its email's
-- rows). Rows older than the window are purged.
CREATE TABLE login_failures (
    id         BIGINT      NOT NULL AUTO_INCREMENT,
    email_hash CHAR(64)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    failed_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_login_failures_email_hash_failed_at (email_hash, failed_at),
    INDEX ix_login_failures_failed_at (failed_at)
) ENGINE = InnoDB;
