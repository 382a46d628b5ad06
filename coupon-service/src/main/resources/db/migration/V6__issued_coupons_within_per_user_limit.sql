-- The database itself keeps every shopper within the coupon's per-user limit, as V1's comment on issued_coupons said it
-- did: the unique (coupon_id, user_id, user_seq) made each slot usable once, but nothing bounded user_seq, so a row
-- with user_seq 2 of a coupon with a limit of 1 was accepted. Each issued row now carries its coupon's per_user_limit;
-- a foreign key ties that copy to the coupon's (no cascade: a coupon's limit cannot change once it has issued units),
-- and a CHECK bounds user_seq by it. MariaDB 10.2+ and MySQL 8.0.16+ enforce CHECK constraints.
-- One statement per step: MySQL does not add and drop foreign keys in one ALTER TABLE that copies the table.

-- the key the foreign key refers to (id alone is already unique, so this changes no rule of coupons)
ALTER TABLE coupons ADD CONSTRAINT uk_coupons_id_per_user_limit UNIQUE (id, per_user_limit);

ALTER TABLE issued_coupons ADD COLUMN per_user_limit INT NULL AFTER user_seq;

UPDATE issued_coupons i JOIN coupons c ON c.id = i.coupon_id SET i.per_user_limit = c.per_user_limit;

-- The user's slot stays unique per coupon: per_user_limit is a function of coupon_id (the foreign key below), so
-- (coupon_id, per_user_limit, user_id, user_seq) is unique exactly when (coupon_id, user_id, user_seq) is. Putting the
-- limit second makes this key the index the foreign key needs, instead of an eighth index written by every claim.
ALTER TABLE issued_coupons
    MODIFY per_user_limit INT NOT NULL,
    ADD CONSTRAINT uk_issued_coupons_limit_user_seq UNIQUE (coupon_id, per_user_limit, user_id, user_seq);

ALTER TABLE issued_coupons
    ADD CONSTRAINT fk_issued_coupons_coupon_limit FOREIGN KEY (coupon_id, per_user_limit)
        REFERENCES coupons (id, per_user_limit);

-- implied by the foreign key above: one parent look-up per issued row, not two
ALTER TABLE issued_coupons DROP FOREIGN KEY fk_issued_coupons_coupon;

ALTER TABLE issued_coupons DROP INDEX uk_issued_coupons_user_seq;

ALTER TABLE issued_coupons
    ADD CONSTRAINT ck_issued_coupons_user_seq_limit CHECK (user_seq <= per_user_limit);
