/**
 * The ledger's atomic operations. Each script touches the keys of one message only (they share
 * the `{m:<messageId>}` hash tag), so they also run on a Redis Cluster.
 */
import { defineScript } from '../../infra/redis/lua';

/** Shared Lua: base 36 (times are stored in it). */
export const B36_LUA = `local DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'
local function b36(n)
  n = math.floor(n)
  local neg = n < 0
  if neg then n = -n end
  local out = ''
  repeat
    local d = n % 36
    out = string.sub(DIGITS, d + 1, d + 1) .. out
    n = math.floor(n / 36)
  until n == 0
  if neg then out = '-' .. out end
  return out
end
`;

/** Shared Lua: moves n recipients from one state to another in a counts hash and, when given, its group's. */
export const SHIFT_LUA = `local function shift(counts, group, from, to, n)
  redis.call('HINCRBY', counts, from, -n)
  redis.call('HINCRBY', counts, to, n)
  if group then
    redis.call('HINCRBY', group, from, -n)
    redis.call('HINCRBY', group, to, n)
  end
end
`;

/**
 * Shared Lua: notes that an entry changed, so it is written once (dirty: its bucket's fields in the
 * order first changed; order: the buckets in the order first changed).
 */
export const MARK_LUA = `local function mark(dirty, order, slot, field)
  local list = dirty[slot]
  if list == nil then
    list = {}
    dirty[slot] = list
    order[#order + 1] = slot
  end
  if not list[field] then
    list[field] = true
    list[#list + 1] = field
  end
end
`;

/**
 * Shared Lua for both entry forms: the state letters and their long names (the counts hash keeps
 * long names), the moves each state allows and the final states, and base 36.
 */
const STATE_LUA = `
local NAMES = { q = 'queued', g = 'sending', s = 'sent', d = 'delivered', f = 'failed', k = 'skipped', u = 'uncertain' }
local allowed = {
  q = { g = true, k = true, f = true },
  g = { s = true, f = true, u = true, q = true, d = true },
  s = { d = true, f = true },
  u = { s = true, d = true, f = true },
  f = { d = true },
}
local final = { d = true, f = true, k = true }
-- A move's code: 2 the same non-final state repeated, 1 allowed, 0 refused. A failed entry turns
-- delivered only on a report for a message the provider accepted (it has a provider id).
local function decide(current, to, accepted)
  if current == to and not final[current] then return 2 end
  if allowed[current] and allowed[current][to] and not (current == 'f' and not accepted) then return 1 end
  return 0
end
${B36_LUA}`;

/**
 * Shared Lua: the state letters and long names (the counts hash keeps long names), and reading an
 * entry stored in either form (see ledger-codec.ts) into the compact one.
 */
const ENTRY_LUA = `
${STATE_LUA}
local CODES = {}
for code, name in pairs(NAMES) do CODES[name] = code end
local LONG = { phone = 'p', reason = 'r', providerMessageId = 'i', parts = 'n', statusCode = 'x', attempts = 'a', lastReport = 'l', networkCode = 'w', route = 'o' }
local EPOCH = ${Date.UTC(2026, 0, 1)}
local function load(raw)
  local entry = cjson.decode(raw)
  if entry.state == nil then return entry end
  local short = { s = CODES[entry.state] or entry.state }
  for long, code in pairs(LONG) do
    if entry[long] ~= nil then short[code] = entry[long] end
  end
  if type(entry.cost) == 'table' then short['$'] = tostring(entry.cost.currency) .. ' ' .. tostring(entry.cost.amount) end
  if entry.updatedAt then short.t = b36(tonumber(entry.updatedAt) - EPOCH) end
  if short.a == 0 then short.a = nil end
  return short
end
`;

export const transitionScript = defineScript('transition', `
--[[
  The earlier layout (one hash of JSON entries per message, no longer written): moves its entries forward, together with the per-state counts (kept in the
  same call, so a count is one HGETALL at any size).
  KEYS[1] recipients hash, KEYS[2] counts hash
  KEYS[3] (optional) counts hash of the message's group, moved by the same deltas
  ARGV[1] now (epoch ms)
  ARGV[2] JSON array of operations {i, to, patch, merge}
    i      entry index
    to     target state letter
    patch  (optional) stored fields set on the entry when it moves (or repeats a non-final state)
    merge  (optional) when the move is refused, still set the patch fields the entry lacks
  Returns a flat array, two items per operation: code, previous state letter ('' when missing).
    1 moved; 2 same non-final state repeated, patch applied; 0 refused (state kept); -1 no entry.
]]
${ENTRY_LUA}
local now = b36(tonumber(ARGV[1]) - EPOCH)
local ops = cjson.decode(ARGV[2])
local out = {}
local cache = {}
local dirty = {}
local deltas = {}
for _, op in ipairs(ops) do
  local field = tostring(op.i)
  local entry = cache[field]
  if entry == nil then
    local raw = redis.call('HGET', KEYS[1], field)
    if raw then
      entry = load(raw)
      cache[field] = entry
    end
  end
  if not entry then
    out[#out + 1] = -1
    out[#out + 1] = ''
  else
    local current = entry.s
    local code = decide(current, op.to, entry.i ~= nil)
    local patch = op.patch
    if type(patch) ~= 'table' then patch = {} end
    if code > 0 then
      for k, v in pairs(patch) do entry[k] = v end
      entry.s = op.to
      entry.t = now
      dirty[#dirty + 1] = field
      if code == 1 then
        deltas[current] = (deltas[current] or 0) - 1
        deltas[op.to] = (deltas[op.to] or 0) + 1
      end
    elseif op.merge then
      for k, v in pairs(patch) do
        if entry[k] == nil then entry[k] = v; dirty[#dirty + 1] = field end
      end
    end
    out[#out + 1] = code
    out[#out + 1] = current
  end
end
-- One HSET for every entry that changed (each written once, in its final form).
local writes = {}
local written = {}
for _, field in ipairs(dirty) do
  if not written[field] then
    written[field] = true
    writes[#writes + 1] = field
    writes[#writes + 1] = cjson.encode(cache[field])
    if #writes >= 1000 then
      redis.call('HSET', KEYS[1], unpack(writes))
      writes = {}
    end
  end
end
if #writes > 0 then redis.call('HSET', KEYS[1], unpack(writes)) end
for state, n in pairs(deltas) do
  if n ~= 0 then
    redis.call('HINCRBY', KEYS[2], NAMES[state], n)
    if KEYS[3] then redis.call('HINCRBY', KEYS[3], NAMES[state], n) end
  end
end
return out
`);
export const capScript = defineScript('phone-cap', `
--[[
  Per-phone sliding-hour cap: records one send unless the phone already had ARGV[2] in the window.
  KEYS[1] sorted set of send times of one phone
  ARGV[1] now (ms), ARGV[2] cap, ARGV[3] window (ms), ARGV[4] unique member
  Returns 1 when recorded (allowed), 0 when capped.
]]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 1
`);

export const createPackedScript = defineScript('create-message-packed', `
--[[
  Creates one message's ledger unless it already exists (a repeated enqueue changes nothing), its
  entries packed in buckets of ARGV[5] (bucket b holds entries b*ARGV[5] .. , field = index within it).
  KEYS[1] meta hash, KEYS[2] counts hash, then the buckets in order (ARGV[3] keys)
  then (optional) the counts hash of the message's group: its recipients are added there too
  ARGV[1] TTL in seconds
  ARGV[2] meta JSON
  ARGV[3] number of buckets; ARGV[4] the entries' base time (epoch ms); ARGV[5] entries per bucket
  ARGV[6] '1' when each later argument is one packed entry; else each holds entries separated by
  newlines (no entry then holds one)
  ARGV[7] ... the packed entries of recipient 0, 1, ... in order (each starts with its state letter)
  Returns 1 when created, 0 when the message existed (nothing changed).
]]
${STATE_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2])
local buckets = tonumber(ARGV[3])
local size = tonumber(ARGV[5])
local entries = {}
for i = 7, #ARGV do
  if ARGV[6] == '1' then
    entries[#entries + 1] = ARGV[i]
  else
    for entry in string.gmatch(ARGV[i], '[^\\n]+') do entries[#entries + 1] = entry end
  end
end
local counts = {}
local total = 0
local args = {}
for i, entry in ipairs(entries) do
  args[#args + 1] = tostring(total % size)
  args[#args + 1] = entry
  local code = string.sub(entry, 1, 1)
  local state = NAMES[code] or code
  counts[state] = (counts[state] or 0) + 1
  total = total + 1
  if total % size == 0 or i == #entries then
    local key = KEYS[2 + math.floor((total - 1) / size) + 1]
    redis.call('HSET', key, 'b', ARGV[4], unpack(args))
    redis.call('EXPIRE', key, ARGV[1])
    args = {}
  end
end
for state, n in pairs(counts) do redis.call('HSET', KEYS[2], state, n) end
redis.call('HSET', KEYS[2], 'total', total)
for k = 1, 2 do redis.call('EXPIRE', KEYS[k], ARGV[1]) end
local group = KEYS[3 + buckets]
if group then
  for state, n in pairs(counts) do redis.call('HINCRBY', group, state, n) end
  redis.call('HINCRBY', group, 'total', total)
  redis.call('EXPIRE', group, ARGV[1])
end
return 1
`);

export const transitionPackedScript = defineScript('transition-packed', `
--[[
  Moves packed ledger entries of one message forward, together with the per-state counts (kept in
  the same call, so a count is one HGETALL at any size). A message written in the earlier layout
  (one hash of JSON entries) is left to the earlier script: the answer is then {-9}, nothing changed.
  KEYS[1] the earlier layout's recipients hash, KEYS[2] counts hash
  then the buckets the operations touch (ARGV[3] keys)
  then (optional) the counts hash of the message's group, moved by the same deltas
  ARGV[1] now (epoch ms)
  ARGV[2] the operations, each item followed by '|' (packed values never hold one), per operation:
    its bucket's position among the bucket keys (1-based); the entry's field in the bucket;
    the target state letter, then 'm' to merge, then how many patch values follow (n);
    n patch values for positions 2 .. n+1 ('%', never a packed value, leaves a position as it is)
    The patch is set when the entry moves (or repeats a non-final state); with merge, when the move
    is refused, the patch values the entry lacks are still set.
  ARGV[3] number of bucket keys
  Returns a flat array, two items per operation: code, previous state letter ('' when missing).
    1 moved; 2 same non-final state repeated, patch applied; 0 refused (state kept); -1 no entry.
]]
${STATE_LUA}
${MARK_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then return { -9 } end
local now = tonumber(ARGV[1])
local buckets = tonumber(ARGV[3])
local group = KEYS[3 + buckets]
local tokens = {}
local count = 0
for token in string.gmatch(ARGV[2], '([^|]*)|') do
  count = count + 1
  tokens[count] = token
end
-- The operations as parallel lists: bucket position, field, target, merge, first patch token, patch size.
local slots, fields, targets, merges, starts, sizes = {}, {}, {}, {}, {}, {}
local wanted = {}
local ops = 0
local t = 1
while t <= count do
  ops = ops + 1
  local slot = tonumber(tokens[t])
  local field = tokens[t + 1]
  local head = tokens[t + 2]
  local to = string.sub(head, 1, 1)
  local merge = string.sub(head, 2, 2) == 'm'
  local size = tonumber(string.sub(head, merge and 3 or 2))
  slots[ops], fields[ops], targets[ops], merges[ops], starts[ops], sizes[ops] = slot, field, to, merge, t + 3, size
  t = t + 3 + size
  local list = wanted[slot]
  if list == nil then
    list = { 'b' }
    wanted[slot] = list
  end
  list[#list + 1] = field
end
-- Every entry the operations name, read with one HMGET per bucket (its base time first), split on '|'.
local cache = {}
local stamps = {}
for slot, names in pairs(wanted) do
  local raws = redis.call('HMGET', KEYS[2 + slot], unpack(names))
  local entries = {}
  cache[slot] = entries
  local base = tonumber(raws[1])
  if base then
    local seconds = math.floor((now - base) / 1000)
    stamps[slot] = seconds == 0 and '' or b36(seconds)
    for n = 2, #names do
      local raw = raws[n]
      if raw then
        local entry = {}
        local p = 0
        for value in string.gmatch(raw .. '|', '([^|]*)|') do
          p = p + 1
          entry[p] = value
        end
        entries[names[n]] = entry
      end
    end
  end
end
local out = {}
local dirty = {}
local order = {}
local deltas = {}
local function touch(slot, field) mark(dirty, order, slot, field) end
for k = 1, ops do
  local slot, field = slots[k], fields[k]
  local entry = cache[slot][field]
  if not entry then
    out[#out + 1] = -1
    out[#out + 1] = ''
  else
    local to = targets[k]
    local current = string.sub(entry[1], 1, 1)
    local code = decide(current, to, entry[4] ~= nil and entry[4] ~= '')
    local first, size = starts[k], sizes[k]
    if code > 0 then
      for j = 0, size - 1 do
        local v = tokens[first + j]
        if v ~= '%' then entry[2 + j] = v end
      end
      entry[1] = to .. stamps[slot]
      touch(slot, field)
      if code == 1 then
        deltas[current] = (deltas[current] or 0) - 1
        deltas[to] = (deltas[to] or 0) + 1
      end
    elseif merges[k] then
      for j = 0, size - 1 do
        local v = tokens[first + j]
        local p = 2 + j
        if v ~= '%' and (entry[p] == nil or entry[p] == '') then
          entry[p] = v
          touch(slot, field)
        end
      end
    end
    out[#out + 1] = code
    out[#out + 1] = current
  end
end
-- One HSET per bucket for every entry that changed (each written once, in its final form, trailing empty fields left off).
for _, slot in ipairs(order) do
  local entries = cache[slot]
  local args = {}
  for _, field in ipairs(dirty[slot]) do
    local entry = entries[field]
    local last = 1
    for p = 2, 16 do
      local v = entry[p]
      if v ~= nil and v ~= '' then last = p end
    end
    for p = 2, last do if entry[p] == nil then entry[p] = '' end end
    args[#args + 1] = field
    args[#args + 1] = table.concat(entry, '|', 1, last)
  end
  redis.call('HSET', KEYS[2 + slot], unpack(args))
end
for state, n in pairs(deltas) do
  if n ~= 0 then
    redis.call('HINCRBY', KEYS[2], NAMES[state], n)
    if group then redis.call('HINCRBY', group, NAMES[state], n) end
  end
end
return out
`);

export const claimPackedScript = defineScript('claim-packed', `
--[[
  The send worker's claim: moves packed ledger entries of one message to sending (g), setting
  their attempts, together with the per-state counts. The same stored result and answers as
  transitionPackedScript given, per entry, the target g and the one patch value attempts, but it
  rewrites each entry as a string instead of splitting it into fields. A message written in the
  earlier layout is left to the earlier script: the answer is then {-9}, nothing changed.
  KEYS[1] the earlier layout's recipients hash, KEYS[2] counts hash
  then the buckets the operations touch (ARGV[2] keys)
  then (optional) the counts hash of the message's group, moved by the same deltas
  ARGV[1] now (epoch ms)
  ARGV[2] number of bucket keys
  ARGV[3] ... per bucket key, in order, its operations: each '<field>,<attempts>;', the entry's
    field in the bucket and the packed attempts (position 3)
  Returns one string, two characters per operation, bucket after bucket: the code ('1' moved, '2'
  already sending, attempts and time set, '0' refused (state kept), '-' no entry), then the
  previous state letter ('|' when missing or empty).
]]
${B36_LUA}
${SHIFT_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then return { -9 } end
local now = tonumber(ARGV[1])
local buckets = tonumber(ARGV[2])
local group = KEYS[3 + buckets]
local find, sub = string.find, string.sub
-- Fields 4 .. 16 of an entry from the separator at c on, up to the last that is not empty ('' when none):
-- the general script keeps positions up to 16 and leaves trailing empty fields off.
local function rest(raw, c)
  local stop = 0
  local from = c
  for _ = 4, 16 do
    local at = find(raw, '|', from + 1, true)
    local last = at and at - 1 or #raw
    if last > from then stop = last end
    if not at then break end
    from = at
  end
  if stop == 0 then return '' end
  return sub(raw, c, stop)
end
-- The entry as sending: 'g' and the time, the phone as it is, the attempts, the rest as it is.
local function claimed(raw, stamp, value)
  local a = find(raw, '|', 2, true)
  if not a then
    if value == '' then return 'g' .. stamp end
    return 'g' .. stamp .. '||' .. value
  end
  local b = find(raw, '|', a + 1, true)
  if not b then
    if value ~= '' then return 'g' .. stamp .. sub(raw, a) .. '|' .. value end
    if a < #raw then return 'g' .. stamp .. sub(raw, a) end
    return 'g' .. stamp
  end
  local c = find(raw, '|', b + 1, true)
  local tail = c and rest(raw, c) or ''
  if tail ~= '' or value ~= '' then return 'g' .. stamp .. sub(raw, a, b) .. value .. tail end
  if b > a + 1 then return 'g' .. stamp .. sub(raw, a, b - 1) end
  return 'g' .. stamp
end
local out = {}
local moved = 0
for slot = 1, buckets do
  local key = KEYS[2 + slot]
  local fields, values = {}, {}
  local count = 0
  for field, value in string.gmatch(ARGV[2 + slot], '([^,;]*),([^;]*);') do
    count = count + 1
    fields[count], values[count] = field, value
  end
  -- The entries named, and the bucket's base time: the whole bucket when they are many (one pass
  -- over it costs less than as many lookups), else one HMGET, its base time first.
  local entries = {}
  local base
  if count >= 40 then
    local all = redis.call('HGETALL', key)
    for n = 1, #all, 2 do entries[all[n]] = all[n + 1] end
    base = tonumber(entries.b)
  else
    local raws = redis.call('HMGET', key, 'b', unpack(fields))
    base = tonumber(raws[1])
    for n = 1, count do
      local raw = raws[n + 1]
      if raw then entries[fields[n]] = raw end
    end
  end
  if not base then
    -- No base time: the bucket holds no entries.
    for _ = 1, count do out[#out + 1] = '-|' end
  else
    local seconds = math.floor((now - base) / 1000)
    local stamp = seconds == 0 and '' or b36(seconds)
    -- The HSET arguments (each entry once, in its final form) and where each entry's value is.
    local args, at = {}, {}
    for n = 1, count do
      local field = fields[n]
      local raw = entries[field]
      if not raw then
        out[#out + 1] = '-|'
      else
        -- The first field's first letter ('' for an entry whose first field is empty).
        local current = sub(raw, 1, 1)
        if current == 'q' or current == 'g' then
          local entry = claimed(raw, stamp, values[n])
          entries[field] = entry
          local position = at[field]
          if position then
            args[position] = entry
          else
            args[#args + 1] = field
            args[#args + 1] = entry
            at[field] = #args
          end
          if current == 'q' then
            moved = moved + 1
            out[#out + 1] = '1q'
          else
            out[#out + 1] = '2g'
          end
        elseif current == '' or current == '|' then
          out[#out + 1] = '0|'
        else
          out[#out + 1] = '0' .. current
        end
      end
    end
    if #args > 0 then redis.call('HSET', key, unpack(args)) end
  end
end
if moved > 0 then shift(KEYS[2], group, 'queued', 'sending', moved) end
return table.concat(out)
`);

export const providerIdAliasScript = defineScript('provider-id-alias', `
--[[
  The message's short alias of the day in the provider-id index, made on first use.
  KEYS[1] the day's aliases hash
  ARGV[1] message id; ARGV[2] expiry of the hash (seconds, the same end as the day's index)
  Returns the alias (decimal).
]]
local alias = redis.call('HGET', KEYS[1], 'm:' .. ARGV[1])
if alias then return alias end
alias = tostring(redis.call('HINCRBY', KEYS[1], '#', 1))
redis.call('HSET', KEYS[1], 'm:' .. ARGV[1], alias, 'a:' .. alias, ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return alias
`);

export const indexProviderIdsScript = defineScript('index-provider-ids', `
--[[
  One Redis only (the shards live in different Cluster slots): writes a batch of provider ids into
  the day's shard hashes, named here from their common prefix.
  KEYS none (the shard hashes are named by ARGV[1] and the shard)
  ARGV[1] the shard hashes' name up to the shard; ARGV[2] expiry in seconds
  ARGV[3] comma list of the shards (base 36) whose expiry is set now ('' for none)
  ARGV[4] comma list: shard (base 36), then how many pairs it takes; repeated per shard
  ARGV[5] ... field, value of each pair, in the order of ARGV[4]
  Returns the number of pairs written.
]]
local prefix = ARGV[1]
local next = 5
local written = 0
local layout = {}
for item in string.gmatch(ARGV[4], '[^,]+') do layout[#layout + 1] = item end
for n = 1, #layout, 2 do
  local count = tonumber(layout[n + 1])
  redis.call('HSET', prefix .. layout[n], unpack(ARGV, next, next + 2 * count - 1))
  next = next + 2 * count
  written = written + count
end
for shard in string.gmatch(ARGV[3], '[^,]+') do redis.call('EXPIRE', prefix .. shard, ARGV[2]) end
return written
`);
