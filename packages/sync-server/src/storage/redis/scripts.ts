// The Lua scripts RedisRoomStore runs in Redis, each atomic there.

/**
 * Appends an update to a room's log and makes the log if there is none, unless the room was
 * deleted (by another process, which removes its content next: nothing may be written back).
 * KEYS: log, the tombstones. ARGV: the encoded room, the update, the node. Returns the entry's
 * id, or nil when refused. Only for a log not made yet: appends to one that exists are a plain
 * XADD NOMKSTREAM (half the cost to Redis), which a deletion's removal of the log refuses.
 */
export const APPEND_SCRIPT = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return false end
return redis.call('XADD', KEYS[1], '*', 'u', ARGV[2], 'n', ARGV[3])
`;

/** How long a compaction lease lasts: a compactor slower than this is refused at the end. */
export const LEASE_MS = 30_000;

/**
 * Replaces a room's snapshot and trims its log up to an entry, unless the compactor's lease
 * expired (another may hold it now), its snapshot changed since it was read (the version, the
 * fencing number, moved on) or it was deleted; then lets the lease go. KEYS: snap, log, meta,
 * the tombstones, lease. ARGV: the version read, the snapshot, the first entry id kept, the
 * change in bytes, the time, the encoded room, the lease holder. Returns the entries trimmed,
 * or -1 when refused.
 */
export const COMPACT_SCRIPT = `
if redis.call('GET', KEYS[5]) ~= ARGV[7] then return -1 end
redis.call('DEL', KEYS[5])
if redis.call('HEXISTS', KEYS[4], ARGV[6]) == 1 then return -1 end
local version = redis.call('HGET', KEYS[3], 'version') or '0'
if version ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[1], ARGV[2])
local trimmed = redis.call('XTRIM', KEYS[2], 'MINID', ARGV[3])
redis.call('HINCRBY', KEYS[3], 'version', 1)
redis.call('HINCRBY', KEYS[3], 'bytes', ARGV[4])
redis.call('HSET', KEYS[3], 'updatedAt', ARGV[5])
return trimmed
`;

/** Deletes a lease if it is still the given holder's. KEYS: lease. ARGV: holder. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`;
