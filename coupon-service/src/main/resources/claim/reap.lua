-- Gives back a reservation the reaper found pending for too long and not (or only partly) in MySQL: its process died
-- or could not give it back. Only if it is still pending in this state (a rebuild or a late confirm removes it).
-- KEYS: meta, next, free, users, taken, pending, day (the reservation's day); ARGV: pending member, seq, user id,
-- userSeq, give the unit back ('1'/'0'), give the user's slot back ('1'/'0'), daySeq, give the day slot back
-- ('1'/'0'). Answers 1 when it was pending, else 0.
if redis.call('ZREM', KEYS[6], ARGV[1]) == 0 then return 0 end
if ARGV[5] == '1' and tonumber(ARGV[2]) <= tonumber(redis.call('GET', KEYS[2]) or '0') then
  redis.call('SADD', KEYS[3], ARGV[2])
end
local function clear(key, position)
  local slots = redis.call('HGET', key, ARGV[3])
  if slots and string.len(slots) >= position then
    slots = string.sub(slots, 1, position - 1) .. '0' .. string.sub(slots, position + 1)
    redis.call('HSET', key, ARGV[3], slots)
  end
end
if ARGV[6] == '1' then clear(KEYS[4], tonumber(ARGV[4])) end
local daySeq = tonumber(ARGV[7] or '0')
if daySeq > 0 and ARGV[8] == '1' then clear(KEYS[7], daySeq) end
return 1
