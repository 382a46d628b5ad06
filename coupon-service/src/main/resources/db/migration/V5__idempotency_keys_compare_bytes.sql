-- Idempotency keys are compared exactly (docs/api.md), byte for byte, as Redis compares them. Under the table's
-- utf8mb4_unicode_ci, `Key` and `key`, `cafe` and `café`, `a` and `a ` were one key for the unique key
-- (user_id, idempotency_key) and for the look-up of a key's earlier issue, so a new claim could be answered with another
-- key's coupon. VARBINARY compares bytes and pads nothing (a binary collation such as utf8mb4_bin still ignores
-- trailing spaces). 400 bytes: 100 characters of up to 4 bytes in UTF-8. Existing keys keep their bytes.
ALTER TABLE issued_coupons MODIFY idempotency_key VARBINARY(400) NULL;
