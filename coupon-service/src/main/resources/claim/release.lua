-- Gives a reservation back: the unit to the free set, the user's slot cleared; nothing if the state was rebuilt
-- since the reservation (another generation), or if it ended already (confirmed, given back, or reaped: it is no
-- longer pending), so that a unit is never given back twice. seq or userSeq 0 keeps that part reserved.
-- KEYS: meta, next, free, users, taken, pending; ARGV: user id, seq, userSeq, generation, pending member.
-- Answers RELEASED, STALE or ENDED.
if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[4] then
  redis.call('ZREM', KEYS[6], ARGV[5])
  return 'STALE'
end
if redis.call('ZREM', KEYS[6], ARGV[5]) == 0 then return 'ENDED' end
local seq = tonumber(ARGV[2])
if seq > 0 and seq <= tonumber(redis.call('GET', KEYS[2]) or '0') then
  redis.call('SADD', KEYS[3], ARGV[2])
end
local userSeq = tonumber(ARGV[3])
if userSeq > 0 then
  local slots = redis.call('HGET', KEYS[4], ARGV[1])
  if slots and string.len(slots) >= userSeq then
    slots = string.sub(slots, 1, userSeq - 1) .. '0' .. string.sub(slots, userSeq + 1)
    redis.call('HSET', KEYS[4], ARGV[1], slots)
  end
end
return 'RELEASED'
