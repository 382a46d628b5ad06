-- After a unit was committed to MySQL: if the state was rebuilt since its reservation (another generation), the
-- rebuild may have read MySQL before the commit, so mark the unit and the user's slot used in the new state.
-- Idempotent. KEYS: meta, next, free, users, taken, lock; ARGV: user id, seq, userSeq, generation.
-- Answers REBUILDING (state missing while a rebuild holds the lock: try again), UNCHANGED or MARKED.
local gen = redis.call('HGET', KEYS[1], 'gen')
if not gen then
  if redis.call('EXISTS', KEYS[6]) == 1 then return 'REBUILDING' end
  return 'UNCHANGED'
end
if gen == ARGV[4] then return 'UNCHANGED' end
local seq = tonumber(ARGV[2])
local issued = tonumber(redis.call('GET', KEYS[2]) or '0')
if seq <= issued then
  redis.call('SREM', KEYS[3], ARGV[2])
else
  redis.call('SADD', KEYS[5], ARGV[2])
end
local limit = tonumber(redis.call('HGET', KEYS[1], 'limit'))
local userSeq = tonumber(ARGV[3])
local slots = redis.call('HGET', KEYS[4], ARGV[1]) or ''
if string.len(slots) < limit then slots = slots .. string.rep('0', limit - string.len(slots)) end
if userSeq <= limit then
  slots = string.sub(slots, 1, userSeq - 1) .. '1' .. string.sub(slots, userSeq + 1)
  redis.call('HSET', KEYS[4], ARGV[1], slots)
end
return 'MARKED'
