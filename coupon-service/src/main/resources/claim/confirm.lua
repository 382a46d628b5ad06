-- After units were committed to MySQL: if the state was rebuilt since their reservation (another generation), the
-- rebuild may have read MySQL before the commit, so mark each unit and its user's slot used in the new state.
-- Either way the units leave the pending set. Idempotent.
-- KEYS: meta, next, free, users, taken, pending, lock; ARGV: generation of the reservations, then for each unit its
-- user id, seq and userSeq. Answers REBUILDING (state missing while a rebuild holds the lock: try again), UNCHANGED
-- or MARKED.
local gen = redis.call('HGET', KEYS[1], 'gen')
if not gen then
  if redis.call('EXISTS', KEYS[7]) == 1 then return 'REBUILDING' end
  return 'UNCHANGED'
end
if gen == ARGV[1] then
  local members = {}
  for i = 2, #ARGV, 3 do members[#members + 1] = ARGV[i + 1] .. ':' .. ARGV[i] .. ':' .. ARGV[i + 2] end
  redis.call('ZREM', KEYS[6], unpack(members))
  return 'UNCHANGED'
end
local limit = tonumber(redis.call('HGET', KEYS[1], 'limit'))
local issued = tonumber(redis.call('GET', KEYS[2]) or '0')
for i = 2, #ARGV, 3 do
  local user = ARGV[i]
  local seq = tonumber(ARGV[i + 1])
  if seq <= issued then
    redis.call('SREM', KEYS[3], ARGV[i + 1])
  else
    redis.call('SADD', KEYS[5], ARGV[i + 1])
  end
  local userSeq = tonumber(ARGV[i + 2])
  local slots = redis.call('HGET', KEYS[4], user) or ''
  if string.len(slots) < limit then slots = slots .. string.rep('0', limit - string.len(slots)) end
  if userSeq <= limit then
    slots = string.sub(slots, 1, userSeq - 1) .. '1' .. string.sub(slots, userSeq + 1)
    redis.call('HSET', KEYS[4], user, slots)
  end
end
return 'MARKED'
