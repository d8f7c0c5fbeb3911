import { LuaScript } from '../../platform/redis/lua-script.ts';

/**
 * One dispatch round in one Redis call: walks the court's queue in order and, for each waiting call of this
 * controller (ARGV pairs callId, skill), claims the longest-idle ready operator having the skill (ringing for
 * that call) and takes the call off the queue. A skill with no free operator is skipped for the rest of the
 * round. Calls this controller has not put in the queue yet are added first (ZADD NX: a retry keeps their place),
 * so a new caller's enqueue and its claim are one round trip. Returns flat triples: callId, operator id, endpoint.
 * KEYS: queue, ready set, due set. ARGV: operator key prefix, now, dueAt, the number N of calls to add, N
 * callId/enqueuedAt pairs, then callId/skill pairs.
 */
export const claimManyScript = new LuaScript(`
local adding = tonumber(ARGV[4])
for i = 5, 4 + 2 * adding, 2 do redis.call('ZADD', KEYS[1], 'NX', ARGV[i + 1], ARGV[i]) end
local want = {}
for i = 5 + 2 * adding, #ARGV, 2 do want[ARGV[i]] = ARGV[i + 1] end
local out = {}
local exhausted = {}
-- The ready set is read in chunks as the walk needs them: the first ready operator usually takes the call, so
-- a court with hundreds ready does not copy them all for each claim. Only members already read are removed, so
-- the next unread one is at rank (read - removed).
local ops, read, removed, more = {}, 0, 0, true
local function readMore()
  local chunk = redis.call('ZRANGE', KEYS[2], read - removed, read - removed + 31)
  for _, op in ipairs(chunk) do ops[#ops + 1] = op end
  read = read + #chunk
  more = #chunk == 32
end
for _, callId in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local skill = want[callId]
  if skill and not exhausted[skill] then
    local found = false
    local idx = 1
    while not found do
      if idx > #ops then
        if not more then break end
        readMore()
        if idx > #ops then break end
      end
      local op = ops[idx]
      if op then
        local key = ARGV[1] .. op
        local st = redis.call('HMGET', key, 'state', 'skills', 'endpoint')
        if st[1] ~= 'ready' then
          redis.call('ZREM', KEYS[2], op)
          removed = removed + 1
          ops[idx] = false
        elseif (not st[2]) or st[2] == '' or string.find(',' .. st[2] .. ',', ',' .. skill .. ',', 1, true) then
          redis.call('ZREM', KEYS[2], op)
          removed = removed + 1
          redis.call('HSET', key, 'state', 'ringing', 'since', ARGV[2], 'callId', callId, 'reason', '')
          redis.call('ZADD', KEYS[3], ARGV[3], op)
          redis.call('ZREM', KEYS[1], callId)
          ops[idx] = false
          table.insert(out, callId)
          table.insert(out, op)
          table.insert(out, st[3] or '')
          found = true
        end
      end
      idx = idx + 1
    end
    if not found then exhausted[skill] = true end
  end
end
return out`);
