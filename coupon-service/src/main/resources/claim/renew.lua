-- Extends the rebuild lock only if this rebuild still holds it. KEYS: lock; ARGV: token, time to live (ms).
-- Answers 1 or 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
