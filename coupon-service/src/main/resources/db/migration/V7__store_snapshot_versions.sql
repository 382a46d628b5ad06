-- The version of the store (store-service's @Version) that the snapshot's details come from, as the store events
-- carry it: an update is applied only if it is newer, so events applied out of order never bring old details back.
-- NULL while the snapshot is known only from store-service's gRPC answer (or from events without a version).
ALTER TABLE store_snapshots ADD COLUMN version BIGINT NULL AFTER deleted;
