-- Reserves one unit of a coupon for a user, atomically: the claim window, the user's limit, then the stock.
-- KEYS: meta, next, free, users, taken, pending (see ClaimGate); ARGV: user id, now (epoch millis).
-- Answers {outcome, seq, userSeq, generation}, outcome one of ClaimGate.Outcome:
-- RESERVED, STATE_MISSING (rebuild from MySQL first), WINDOW_CLOSED, LIMIT_REACHED, SOLD_OUT.
-- A reserved unit is recorded in the pending set ("seq:user:userSeq", scored by now) until it is confirmed or given
-- back; the reaper gives back what a dead process left there.
local meta = redis.call('HMGET', KEYS[1], 'total', 'limit', 'start', 'end', 'ended', 'gen')
if not meta[1] or not meta[6] then return {'STATE_MISSING', 0, 0, ''} end
-- a built state always has its counter: without it (evicted, lost in a failover) the state is not to be trusted
if redis.call('EXISTS', KEYS[2]) == 0 then return {'STATE_MISSING', 0, 0, ''} end
local total = tonumber(meta[1])
local limit = tonumber(meta[2])
local now = tonumber(ARGV[2])
if meta[5] == '1' or now < tonumber(meta[3]) or now >= tonumber(meta[4]) then
  return {'WINDOW_CLOSED', 0, 0, meta[6]}
end
-- the user's slots: one character per unit the user may hold, '1' taken
local slots = redis.call('HGET', KEYS[4], ARGV[1]) or ''
if string.len(slots) < limit then slots = slots .. string.rep('0', limit - string.len(slots)) end
local userSeq = string.find(slots, '0', 1, true)
if not userSeq or userSeq > limit then return {'LIMIT_REACHED', 0, 0, meta[6]} end
-- a unit given back first, else the next one, skipping those a rebuild found taken
local seq = redis.call('SPOP', KEYS[3])
if seq then
  seq = tonumber(seq)
else
  while true do
    local issued = tonumber(redis.call('GET', KEYS[2]) or '0')
    if issued >= total then return {'SOLD_OUT', 0, 0, meta[6]} end
    seq = redis.call('INCR', KEYS[2])
    if redis.call('SREM', KEYS[5], tostring(seq)) == 0 then break end
  end
end
slots = string.sub(slots, 1, userSeq - 1) .. '1' .. string.sub(slots, userSeq + 1)
redis.call('HSET', KEYS[4], ARGV[1], slots)
redis.call('ZADD', KEYS[6], ARGV[2], seq .. ':' .. ARGV[1] .. ':' .. userSeq)
return {'RESERVED', seq, userSeq, meta[6]}
