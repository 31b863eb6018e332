/**
 * The Lua scripts of the Redis store. Each runs atomically on the job's keys
 * (one slot, see `keys.ts`), so a reader never sees entries without the
 * matching `next`, and one round trip does a whole batch, as Centrifugo's
 * Redis engine does for a publication: explicit id, trim, expire, publish.
 *
 * KEYS are always `log`, `meta`, `lease` (see `keys.ts`).
 *
 * @module
 */

/** The most entry bytes a message carries; a larger batch publishes only its end. */
export const PUBLISH_BYTES = 65_536;

/**
 * Appends a batch (or, with no entries, renews the lease). ARGV: writer,
 * lease ms, retention ms, maxEntries, id of the first entry, publish command
 * (`PUBLISH` or `SPUBLISH`), channel, then the entries.
 *
 * Entries with ids below the stored `next` are skipped: a batch retried after
 * its reply was lost is stored once. A first id above `next` (entries dropped
 * while Redis was unreachable) leaves a gap that readers are told about as
 * `missed`. A job whose meta is gone (Redis restarted empty) is taken up
 * again from the first id. The message it publishes carries the new entries
 * themselves (`"<first id> <next>"`, then each entry on a line of its own; JSON
 * has no raw newline) when they fit in {@linkcode PUBLISH_BYTES}, so a reader's process
 * needs no read for them; else just the new end (`"<next>"`). Returns
 * `{next, cancel}`, `-1` when another writer owns the job, `-2` when it has ended.
 */
export const APPEND = `
local writer = redis.call('HGET', KEYS[2], 'writer')
local changed = false
if writer == false then
  redis.call('HSET', KEYS[2], 'writer', ARGV[1], 'next', ARGV[5])
  changed = true
elseif writer ~= ARGV[1] then
  return -1
end
if redis.call('HEXISTS', KEYS[2], 'done') == 1 then return -2 end
local next = tonumber(redis.call('HGET', KEYS[2], 'next'))
local first = tonumber(ARGV[5])
local added = {}
local from = nil
local bytes = 0
for i = 8, #ARGV do
  local id = first + i - 8
  if id >= next then
    redis.call('XADD', KEYS[1], '0-' .. (id + 1), 'd', ARGV[i])
    if from == nil then from = id end
    added[#added + 1] = ARGV[i]
    bytes = bytes + #ARGV[i]
    next = id + 1
    changed = true
  end
end
if changed then
  redis.call('HSET', KEYS[2], 'next', next)
  redis.call('XTRIM', KEYS[1], 'MAXLEN', ARGV[4])
  if from ~= nil and bytes <= ${PUBLISH_BYTES} then
    redis.call(ARGV[6], ARGV[7], from .. ' ' .. next .. '\\n' .. table.concat(added, '\\n'))
  else
    redis.call(ARGV[6], ARGV[7], next)
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
return {next, redis.call('HEXISTS', KEYS[2], 'cancel')}
`;

/**
 * Ends a job. ARGV: writer, retention ms, status, message (`""` for none),
 * publish command, channel, end (the writer's `next`). Returns 1, or `-1`
 * when another writer owns the job.
 */
export const CLOSE = `
local writer = redis.call('HGET', KEYS[2], 'writer')
if writer == false then
  redis.call('HSET', KEYS[2], 'writer', ARGV[1], 'next', ARGV[7])
elseif writer ~= ARGV[1] then
  return -1
end
redis.call('HSET', KEYS[2], 'done', '1', 'status', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[2], 'message', ARGV[4]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3])
redis.call(ARGV[5], ARGV[6], 'done')
return 1
`;

/**
 * Reads meta and entries in one step. ARGV: XRANGE start, COUNT. Returns nil
 * for an unknown job, else `{next, done, status, message, cancel, alive,
 * entries}` (`alive`: whether the lease key exists).
 */
export const READ = `
local m = redis.call('HMGET', KEYS[2], 'next', 'done', 'status', 'message', 'cancel')
if m[1] == false then return false end
local alive = redis.call('EXISTS', KEYS[3])
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])
return {m[1], m[2], m[3], m[4], m[5], alive, entries}
`;

/**
 * Asks a job to stop. ARGV: publish command, channel. Returns 0 for an
 * unknown job, else 1 (an ended job is left as it is).
 */
export const CANCEL = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if redis.call('HEXISTS', KEYS[2], 'done') == 1 then return 1 end
redis.call('HSET', KEYS[2], 'cancel', '1')
redis.call(ARGV[1], ARGV[2], 'cancel')
return 1
`;

/**
 * Stores a job's result. ARGV: JSON text. Returns 0 for an unknown job, else 1.
 */
export const SET_RESULT = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], 'result', ARGV[1])
return 1
`;
