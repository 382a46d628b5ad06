-- Drops a coupon's state when MySQL showed it behind (a unit or a user's slot it handed out was already issued, or
-- MySQL found the coupon full): the next claim rebuilds it from MySQL. Only the generation that was found behind, so
-- that many claims meeting the same gap cause one rebuild. KEYS: meta; ARGV: generation. Answers 1 when dropped.
if redis.call('HGET', KEYS[1], 'gen') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
