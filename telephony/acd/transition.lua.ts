import { LuaScript } from '../../platform/redis/lua-script.ts';

/**
 * Compare-and-set of an operator's state, keeping the ready set (score: idle since) and the due set in step, in
 * one round trip: it reads the operator's court itself (the ready set is per court) and handles the "leaving"
 * mark of an operator who signed out mid-call (ARGV[10]): 'clear' drops the mark (their own choice), 'redirect'
 * drops it and, if it was set, makes the move a sign-out (logged_out, reason signed_out) instead of ready/paused.
 * A move refused (not from an allowed state) leaves the mark as it was: only a move that happens consumes it.
 * KEYS: operator hash, due set. ARGV: allowed from (comma list), to, since, ready score, reason, callId,
 * dueAt (0: none), user id, ready-set key prefix, leaving mode ('' | 'clear' | 'redirect').
 * Returns {-1} for an unknown operator, else {changed, before, court, to, reason}.
 */
export const transitionScript = new LuaScript(`
local to, reason = ARGV[2], ARGV[5]
local h = redis.call('HMGET', KEYS[1], 'endpoint', 'state', 'courtId', 'leaving')
if not h[1] then return {-1, '', '', to, reason} end
local cur = h[2] or 'logged_out'
local court = h[3] or ''
if not string.find(','..ARGV[1]..',', ','..cur..',', 1, true) then return {0, cur, court, to, reason} end
if ARGV[10] ~= '' and h[4] then
  redis.call('HDEL', KEYS[1], 'leaving')
  if ARGV[10] == 'redirect' then to, reason = 'logged_out', 'signed_out' end
end
local ready = ARGV[9] .. (court == '' and 'none' or court)
redis.call('HSET', KEYS[1], 'state', to, 'since', ARGV[3], 'reason', reason, 'callId', ARGV[6])
if to == 'ready' then redis.call('ZADD', ready, ARGV[4], ARGV[8]) else redis.call('ZREM', ready, ARGV[8]) end
if tonumber(ARGV[7]) > 0 then redis.call('ZADD', KEYS[2], ARGV[7], ARGV[8]) else redis.call('ZREM', KEYS[2], ARGV[8]) end
return {1, cur, court, to, reason}`);
