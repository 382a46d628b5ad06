-- After units were committed to MySQL: if the state was rebuilt since their reservation (another generation), the
-- rebuild may have read MySQL before the commit, so mark each unit, its user's slot and day slot used in the new
-- state. Either way the units leave the pending set. Idempotent.
-- KEYS: meta, next, free, users, taken, pending, lock, day (the reservations' day; all of one day); ARGV: generation
-- of the reservations, then for each unit its user id, seq, userSeq, daySeq and pending member. Answers REBUILDING
-- (state missing while a rebuild holds the lock: try again), UNCHANGED or MARKED.
local gen = redis.call('HGET', KEYS[1], 'gen')
if not gen then
  if redis.call('EXISTS', KEYS[7]) == 1 then return 'REBUILDING' end
  return 'UNCHANGED'
end
if gen == ARGV[1] then
  local members = {}
  for i = 2, #ARGV, 5 do members[#members + 1] = ARGV[i + 4] end
  redis.call('ZREM', KEYS[6], unpack(members))
  return 'UNCHANGED'
end
local limit = tonumber(redis.call('HGET', KEYS[1], 'limit'))
local daily = tonumber(redis.call('HGET', KEYS[1], 'daily') or '0')
local issued = tonumber(redis.call('GET', KEYS[2]) or '0')
local function mark(key, user, position, length)
  local slots = redis.call('HGET', key, user) or ''
  if string.len(slots) < length then slots = slots .. string.rep('0', length - string.len(slots)) end
  if position <= length then
    slots = string.sub(slots, 1, position - 1) .. '1' .. string.sub(slots, position + 1)
    redis.call('HSET', key, user, slots)
  end
end
for i = 2, #ARGV, 5 do
  local user = ARGV[i]
  local seq = tonumber(ARGV[i + 1])
  if seq <= issued then
    redis.call('SREM', KEYS[3], ARGV[i + 1])
  else
    redis.call('SADD', KEYS[5], ARGV[i + 1])
  end
  mark(KEYS[4], user, tonumber(ARGV[i + 2]), limit)
  local daySeq = tonumber(ARGV[i + 3])
  if daySeq > 0 and daily > 0 then
    mark(KEYS[8], user, daySeq, daily)
    redis.call('EXPIRE', KEYS[8], 172800)
  end
end
return 'MARKED'
