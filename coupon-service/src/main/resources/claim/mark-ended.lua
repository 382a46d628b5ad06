-- No more claims of this coupon, if its state is in Redis (a rebuild reads the end from MySQL).
-- KEYS: meta. Answers 1 when marked, 0 when there was no state.
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'ended', '1') return 1 end
return 0
