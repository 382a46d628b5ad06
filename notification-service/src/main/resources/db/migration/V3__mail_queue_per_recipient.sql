-- Alert mails are queued per recipient instead of per alert (issue 13: the per-alert mail rows were the largest share
-- of the database's writes per claim: an insert, a lease and a SENT mark per alert, each touching four indexes).
--
-- A recipient's row says which of their alerts are mailed and when their next mail is due:
--   mailed_through  every alert (notification) of the recipient with an id up to this one has been mailed (or skipped:
--                   no open account); the ones above it are still to be mailed;
--   mail_due_at     when the next mail is due (NULL: nothing to mail). An alert writer sets it when it is NULL: to now,
--                   or to the end of the gather window when the recipient was mailed within it. The sender sets it to
--                   the end of its lease while it sends (a crashed instance's mail comes due again), then to NULL, or
--                   to the next window's end when more alerts arrived meanwhile, or to a back-off when the mail failed;
--   attempts, last_error  failed attempts of the mail due, for the back-off and for operators.
-- Alert writers lock the recipients' rows (in user id order) before they insert the alerts, so a sender that holds a
-- recipient's row sees every alert of that recipient that will ever get an id below the ones it reads.
ALTER TABLE mail_recipients
    ADD COLUMN mailed_through BIGINT       NOT NULL DEFAULT 0,
    ADD COLUMN mail_due_at    DATETIME(6)  NULL,
    ADD COLUMN attempts       INT          NOT NULL DEFAULT 0,
    ADD COLUMN last_error     VARCHAR(500) NULL,
    DROP COLUMN sending_until,
    ADD INDEX ix_mail_recipients_due (mail_due_at);

-- The alerts still pending in the old outbox keep their place: each recipient's queue starts just before their oldest
-- pending alert, due when that one was (an alert mailed after an older one that was still being retried is mailed
-- once more, the one case where the move repeats a mail).
INSERT INTO mail_recipients (user_id, mailed_through, mail_due_at)
SELECT n.user_id,
       COALESCE(MIN(CASE WHEN m.status = 'PENDING' THEN n.id END) - 1, MAX(n.id)),
       MIN(CASE WHEN m.status = 'PENDING' THEN m.next_attempt_at END)
FROM notifications n
LEFT JOIN mail_outbox m ON m.notification_id = n.id
GROUP BY n.user_id
ON DUPLICATE KEY UPDATE mailed_through = VALUES(mailed_through), mail_due_at = VALUES(mail_due_at);

DROP TABLE mail_outbox;

-- Which rows of a batched INSERT IGNORE were created by that write (a repeated event creates none): each write tags
-- its rows with a random token, and reads back the rows of its events that carry it. Not indexed: the read goes by
-- the unique key (event_id, user_id).
ALTER TABLE notifications ADD COLUMN write_token BIGINT NULL;
