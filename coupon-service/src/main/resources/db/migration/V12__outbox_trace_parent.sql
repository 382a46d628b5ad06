-- The sampled trace an event continues (a W3C traceparent, 55 characters), written by the outbox (service-kit) when
-- the change was made for a traced request; the relay sends it with the event as the SQS message attribute
-- `traceparent`. NULL for most events (only the sampled share of requests is traced). Added last, so that MySQL 8 and
-- MariaDB add it in place (INSTANT) whatever the table's size.
ALTER TABLE outbox_events ADD COLUMN trace_parent VARCHAR(55) CHARACTER SET ascii COLLATE ascii_bin NULL;
