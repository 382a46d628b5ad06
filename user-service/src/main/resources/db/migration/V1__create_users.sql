-- Accounts. `email` keeps the address an account was created with, also after it is closed;
-- `active_email` holds the same address while the account is open and is NULL once it is closed,
-- so its UNIQUE index lets a closed account's address sign up again.
CREATE TABLE users (
    id            BIGINT       NOT NULL AUTO_INCREMENT,
    email         VARCHAR(254) NOT NULL,
    active_email  VARCHAR(254) NULL,
    name          VARCHAR(50)  NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    created_at    DATETIME(6)  NOT NULL,
    updated_at    DATETIME(6)  NOT NULL,
    closed_at     DATETIME(6)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_users_active_email UNIQUE (active_email),
    CONSTRAINT ck_users_role CHECK (role IN ('SHOPPER', 'OWNER', 'ADMIN'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
