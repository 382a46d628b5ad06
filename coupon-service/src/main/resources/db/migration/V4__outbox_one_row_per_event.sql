-- One outbox row per event from now on, whatever the number of queues: `destination` NULL means every queue of
-- couponhub.outbox.queues. Rows written before this migration name their one queue and are still sent to it only.
-- Half the rows to insert, read, mark sent and purge per event (issue 13). The unique key on (event_id, destination)
-- goes: event ids are random UUIDs, and a key that NULLs never collide in would only cost an index write per event.
ALTER TABLE outbox_events
    MODIFY destination VARCHAR(200) NULL,
    DROP INDEX uk_outbox_events_event_destination;
