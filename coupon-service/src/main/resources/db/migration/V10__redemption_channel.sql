-- Who redeemed an issued coupon (issue 17): SELF, its holder (an online order), or COUNTER, the store by code. Only
-- whoever redeemed may cancel: before this column the holder could cancel a redemption the store made at its counter
-- and show the same coupon again, without limit.
ALTER TABLE issued_coupons ADD COLUMN redemption_channel VARCHAR(7) CHARACTER SET ascii NULL AFTER redeemed_at;

-- Redemptions made before cannot tell their channel. They count as COUNTER redemptions: the store can still cancel
-- them, and no holder can undo a redemption that may have been the store's (the secure side; a holder who cancels an
-- online order asks the store).
UPDATE issued_coupons SET redemption_channel = 'COUNTER' WHERE status = 'REDEEMED';

-- A redeemed coupon always says who redeemed it, and only a redeemed one does.
ALTER TABLE issued_coupons
    ADD CONSTRAINT ck_issued_coupons_redemption_channel CHECK (redemption_channel IN ('SELF', 'COUNTER')),
    ADD CONSTRAINT ck_issued_coupons_redeemed_channel CHECK ((status = 'REDEEMED') = (redemption_channel IS NOT NULL));
