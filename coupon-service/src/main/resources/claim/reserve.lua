-- Reserves one unit of a coupon for a user, atomically: the claim window, the user's limit, the user's daily limit
-- (when the coupon has one), then the stock.
-- KEYS: meta, next, free, users, taken, pending (see ClaimGate), day (the users' slots of the claim's day);
-- ARGV: user id, now (epoch millis), day (yyyyMMdd in the service zone).
-- Answers {outcome, seq, userSeq, generation, daySeq}, outcome one of ClaimGate.Outcome:
-- RESERVED, STATE_MISSING (rebuild from MySQL first), WINDOW_CLOSED, LIMIT_REACHED, DAILY_LIMIT_REACHED, SOLD_OUT.
-- A reserved unit is recorded in the pending set ("seq:user:userSeq", with ":daySeq:day" for a daily limit, scored by
-- now) until it is confirmed or given back; the reaper gives back what a dead process left there.
local meta = redis.call('HMGET', KEYS[1], 'total', 'limit', 'start', 'end', 'ended', 'gen', 'daily')
if not meta[1] or not meta[6] then return {'STATE_MISSING', 0, 0, '', 0} end
-- a built state always has its counter: without it (evicted, lost in a failover) the state is not to be trusted
if redis.call('EXISTS', KEYS[2]) == 0 then return {'STATE_MISSING', 0, 0, '', 0} end
local total = tonumber(meta[1])
local limit = tonumber(meta[2])
local daily = tonumber(meta[7] or '0')
local now = tonumber(ARGV[2])
if meta[5] == '1' or now < tonumber(meta[3]) or now >= tonumber(meta[4]) then
  return {'WINDOW_CLOSED', 0, 0, meta[6], 0}
end
-- the user's slots: one character per unit the user may hold, '1' taken
local slots = redis.call('HGET', KEYS[4], ARGV[1]) or ''
if string.len(slots) < limit then slots = slots .. string.rep('0', limit - string.len(slots)) end
local userSeq = string.find(slots, '0', 1, true)
if not userSeq or userSeq > limit then return {'LIMIT_REACHED', 0, 0, meta[6], 0} end
-- the user's slots of the day, likewise
local daySlots = ''
local daySeq = 0
if daily > 0 then
  daySlots = redis.call('HGET', KEYS[7], ARGV[1]) or ''
  if string.len(daySlots) < daily then daySlots = daySlots .. string.rep('0', daily - string.len(daySlots)) end
  daySeq = string.find(daySlots, '0', 1, true)
  if not daySeq or daySeq > daily then return {'DAILY_LIMIT_REACHED', 0, 0, meta[6], 0} end
end
-- a unit given back first, else the next one, skipping those a rebuild found taken
local seq = redis.call('SPOP', KEYS[3])
if seq then
  seq = tonumber(seq)
else
  while true do
    local issued = tonumber(redis.call('GET', KEYS[2]) or '0')
    if issued >= total then return {'SOLD_OUT', 0, 0, meta[6], 0} end
    seq = redis.call('INCR', KEYS[2])
    if redis.call('SREM', KEYS[5], tostring(seq)) == 0 then break end
  end
end
slots = string.sub(slots, 1, userSeq - 1) .. '1' .. string.sub(slots, userSeq + 1)
redis.call('HSET', KEYS[4], ARGV[1], slots)
local member = seq .. ':' .. ARGV[1] .. ':' .. userSeq
if daily > 0 then
  daySlots = string.sub(daySlots, 1, daySeq - 1) .. '1' .. string.sub(daySlots, daySeq + 1)
  redis.call('HSET', KEYS[7], ARGV[1], daySlots)
  -- two days: a day's slots outlive the claims still in flight when it ends
  redis.call('EXPIRE', KEYS[7], 172800)
  member = member .. ':' .. daySeq .. ':' .. ARGV[3]
end
redis.call('ZADD', KEYS[6], ARGV[2], member)
return {'RESERVED', seq, userSeq, meta[6], daySeq}
