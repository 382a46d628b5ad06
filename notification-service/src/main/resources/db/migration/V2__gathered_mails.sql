-- Gathered alert mails (couponhub.notification.mail.gather-window): at most one alert mail per recipient per window.
-- One row per recipient ever mailed. last_mailed_at is written with the SENT mark of the mail; sending_until marks a
-- mail claimed for sending (until the lease ends), so that no other batch or instance mails the same recipient
-- meanwhile. The sender locks these rows (INSERT ... ON DUPLICATE KEY UPDATE, in user_id order) while it decides,
-- which serialises the decisions of several instances about one recipient.
CREATE TABLE mail_recipients (
    user_id        BIGINT      NOT NULL,
    last_mailed_at DATETIME(6) NULL,
    sending_until  DATETIME(6) NULL,
    PRIMARY KEY (user_id)
) ENGINE = InnoDB;

-- A recipient mailed now gets all of their due alerts in that one mail, also those a full batch left out: the sender
-- finds them by recipient.
CREATE INDEX ix_mail_outbox_user_status ON mail_outbox (user_id, status);
