package chatqueue

import "github.com/redis/go-redis/v9"

// The scripts each touch one chat's keys, which share a hash tag ({c123}),
// so they run on Redis Cluster too.

// enqueueScript: KEYS seen, queue, lock, fence; ARGV update_id, update
// JSON, dedupe TTL ms, lease ms. Returns {-1} for a duplicate, {0} when
// another replica holds the chat, else {token, oldest update}.
var enqueueScript = redis.NewScript(`
if not redis.call('SET', KEYS[1], 1, 'NX', 'PX', ARGV[3]) then return {-1} end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if redis.call('EXISTS', KEYS[3]) == 1 then return {0} end
local tok = redis.call('INCR', KEYS[4])
redis.call('PEXPIRE', KEYS[4], ARGV[3])
redis.call('SET', KEYS[3], tok, 'PX', ARGV[4])
return {tok, redis.call('ZRANGE', KEYS[2], 0, 0)[1]}
`)

// doneScript: KEYS queue, lock; ARGV token, handled update ("" for none),
// lease ms, "1" to release even if updates are left (shutdown). Returns
// {-1} when the token is no longer ours, {0} when released, else {1, next}.
var doneScript = redis.NewScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {-1} end
if ARGV[2] ~= '' then redis.call('ZREM', KEYS[1], ARGV[2]) end
local nxt = redis.call('ZRANGE', KEYS[1], 0, 0)
if #nxt == 0 or ARGV[4] == '1' then
  redis.call('DEL', KEYS[2])
  return {0}
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return {1, nxt[1]}
`)

// renewScript: KEYS lock; ARGV token, lease ms.
var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`)

// sweepScript: KEYS queue, lock, fence; ARGV lease ms, fence TTL ms.
// Returns {0} when the chat is held, {-1} when its queue is empty, else
// {token, oldest update}.
var sweepScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return {0} end
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if #first == 0 then return {-1} end
local tok = redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
redis.call('SET', KEYS[2], tok, 'PX', ARGV[1])
return {tok, first[1]}
`)

// unpendScript: KEYS pending; ARGV chat, highest update_id handled. The
// chat leaves the index unless a newer update was added meanwhile.
var unpendScript = redis.NewScript(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
`)
