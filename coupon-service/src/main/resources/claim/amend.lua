-- The coupon's owner changed its stock or claim window, committed in MySQL: the state takes the new total and end.
-- Claimable from this state are the units given back plus those between the counter and the total; a total lowered
-- below the counter also drops as many given-back units as the counter is above it (MySQL refuses any unit beyond
-- the total in any case). KEYS: meta, next, free, lock; ARGV: total, end (epoch millis). Answers REBUILDING (a
-- rebuild may have read MySQL before the change: try again once it ended), MISSING (no state: the next claim builds
-- it from MySQL, change included) or AMENDED.
if redis.call('EXISTS', KEYS[4]) == 1 then return 'REBUILDING' end
if redis.call('HEXISTS', KEYS[1], 'gen') == 0 then return 'MISSING' end
redis.call('HSET', KEYS[1], 'total', ARGV[1], 'end', ARGV[2])
local over = tonumber(redis.call('GET', KEYS[2]) or '0') - tonumber(ARGV[1])
if over > 0 then redis.call('SPOP', KEYS[3], over) end
return 'AMENDED'
