-- Records a stream that opened and answers the streams it pushes out: the oldest of the user's streams beyond the
-- most allowed. Redis's clock orders them, whichever instance holds them.
-- KEYS: the user's streams (sorted set: stream id scored by the time it opened, ms).
-- ARGV: stream id, the most streams a user holds, the longest a stream lives (ms; older entries are of streams whose
-- instance stopped without removing them).
-- Answers the ids of the streams to close, comma-separated ('' for none).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lifetime = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - lifetime))
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lifetime)
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if over <= 0 then return '' end
local oldest = redis.call('ZRANGE', KEYS[1], 0, over - 1)
redis.call('ZREM', KEYS[1], unpack(oldest))
return table.concat(oldest, ',')
