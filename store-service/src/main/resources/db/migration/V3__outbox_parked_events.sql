-- The outbox relay (service-kit) sets aside an event SQS refused couponhub.outbox.relay.max-attempts times: it sets
-- `parked_at`, and a parked row is neither sent nor purged until an operator sets it back to NULL (see
-- docs/operations.md, "Re-queue a parked outbox event"). From now on `attempts` counts only SQS's refusals of an event
-- (and the send it acknowledged), no longer the tries an SQS outage failed: unsent rows start again from 0, and those
-- waiting out a back-off an outage gave them are due at once, oldest first.
ALTER TABLE outbox_events ADD COLUMN parked_at DATETIME(6) NULL AFTER next_attempt_at;
UPDATE outbox_events SET attempts = 0, next_attempt_at = occurred_at WHERE sent_at IS NULL;
