-- The daily per-user limit (issue 17): at most per_user_daily_limit claims of a coupon by one shopper per calendar day
-- in the service zone. The Redis gate hands out a day slot (day_seq, 1..the limit) with each unit of such a coupon, as
-- it hands out the user's slot (user_seq); the unique key below makes each day slot usable once, so MySQL refuses a
-- second claim on a slot even when the gate was behind it (rebuilt while claims were in flight). Units of coupons
-- without a daily limit have no day slot (NULL: the key does not constrain them).

ALTER TABLE coupons
    ADD COLUMN per_user_daily_limit INT NULL AFTER per_user_limit,
    ADD CONSTRAINT ck_coupons_per_user_daily_limit
        CHECK (per_user_daily_limit IS NULL OR (per_user_daily_limit >= 1 AND per_user_daily_limit <= per_user_limit));

ALTER TABLE issued_coupons
    ADD COLUMN claim_day DATE NULL AFTER per_user_limit,
    ADD COLUMN day_seq INT NULL AFTER claim_day,
    ADD CONSTRAINT ck_issued_coupons_day_slot CHECK ((claim_day IS NULL) = (day_seq IS NULL) AND day_seq >= 1),
    ADD CONSTRAINT uk_issued_coupons_day_slot UNIQUE (coupon_id, user_id, claim_day, day_seq);
