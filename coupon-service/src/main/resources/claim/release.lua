-- Gives a reservation back: the unit to the free set, the user's slot (and day slot) cleared; nothing if the state was
-- rebuilt since the reservation (another generation), or if it ended already (confirmed, given back, or reaped: it is
-- no longer pending), so that a unit is never given back twice. seq, userSeq or daySeq 0 keeps that part reserved.
-- KEYS: meta, next, free, users, taken, pending, day (the reservation's day); ARGV: user id, seq, userSeq, generation,
-- pending member, daySeq. Answers RELEASED, STALE or ENDED.
if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[4] then
  redis.call('ZREM', KEYS[6], ARGV[5])
  return 'STALE'
end
if redis.call('ZREM', KEYS[6], ARGV[5]) == 0 then return 'ENDED' end
local seq = tonumber(ARGV[2])
if seq > 0 and seq <= tonumber(redis.call('GET', KEYS[2]) or '0') then
  redis.call('SADD', KEYS[3], ARGV[2])
end
local function clear(key, position)
  local slots = redis.call('HGET', key, ARGV[1])
  if slots and string.len(slots) >= position then
    slots = string.sub(slots, 1, position - 1) .. '0' .. string.sub(slots, position + 1)
    redis.call('HSET', key, ARGV[1], slots)
  end
end
local userSeq = tonumber(ARGV[3])
if userSeq > 0 then clear(KEYS[4], userSeq) end
local daySeq = tonumber(ARGV[6] or '0')
if daySeq > 0 then clear(KEYS[7], daySeq) end
return 'RELEASED'
