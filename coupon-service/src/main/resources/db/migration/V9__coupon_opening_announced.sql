-- COUPON_OPENED (issue 16): a coupon published before its claim window opens is announced once, when the window
-- opens. opened_announced_at records that the announcement was written (with its event, in one transaction), so that
-- each coupon is announced exactly once whatever the number of instances. Coupons whose window opened before this
-- migration count as announced: their followers knew of them from COUPON_PUBLISHED.
ALTER TABLE coupons ADD COLUMN opened_announced_at DATETIME(6) NULL;

UPDATE coupons SET opened_announced_at = issue_starts_at WHERE issue_starts_at <= UTC_TIMESTAMP(6);

CREATE INDEX ix_coupons_opening ON coupons (opened_announced_at, issue_starts_at);
