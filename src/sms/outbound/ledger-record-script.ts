/**
 * Recording a provider call's accepted recipients: their entries move to `sent` with the call's
 * provider id, status code, cost, parts and route. The usual entry (`sending`, only its phone and
 * attempts stored) is rewritten as one string, without splitting it; every other entry follows
 * the rules of transitionPackedScript, with the same stored result, counts and answers.
 */
import { defineScript } from '../../infra/redis/lua';
import { PACKED_POSITIONS, packPatch } from './ledger-codec';
import { STATE_LUA } from './ledger-scripts';

/** The first and last packed positions a `sent` patch may set (provider id .. route). */
const FIRST = PACKED_POSITIONS.providerMessageId;
const LAST = PACKED_POSITIONS.route;

export const recordSentScript = defineScript('record-sent-packed', `
--[[
  Moves packed ledger entries of one message to sent (merge: when the move is refused, the values
  the entry lacks are still set), together with the per-state counts. A message written in the
  earlier layout (one hash of JSON entries) is left to the earlier script: the answer is then {-9},
  nothing changed.
  KEYS[1] the earlier layout's recipients hash, KEYS[2] counts hash
  then the buckets the operations touch (ARGV[2] keys)
  then (optional) the counts hash of the message's group, moved by the same deltas
  ARGV[1] now (epoch ms)
  ARGV[2] number of bucket keys
  ARGV[3] the operations, each item followed by '|' (packed values never hold one), per operation:
    its bucket's position among the bucket keys (1-based); the entry's field in the bucket;
    how many values follow (n); the packed values of positions ${FIRST} .. n+${FIRST - 1} (provider id, status
    code, cost, parts, route), '' where the operation leaves a position as it is (never a value)
  Returns a flat array, two items per operation: code, previous state letter ('' when missing).
    1 moved; 2 same non-final state repeated, patch applied; 0 refused (state kept); -1 no entry.
]]
${STATE_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then return { -9 } end
local now = tonumber(ARGV[1])
local buckets = tonumber(ARGV[2])
local group = KEYS[3 + buckets]
local find, sub = string.find, string.sub
-- The operations as parallel lists: bucket position, field, values (one string), how many.
local s = ARGV[3]
local slots, fields, tails, sizes = {}, {}, {}, {}
local wanted = {}
local ops = 0
local pos = 1
local len = #s
while pos <= len do
  local e1 = find(s, '|', pos, true)
  local e2 = find(s, '|', e1 + 1, true)
  local e3 = find(s, '|', e2 + 1, true)
  local slot = tonumber(sub(s, pos, e1 - 1))
  local field = sub(s, e1 + 1, e2 - 1)
  local size = tonumber(sub(s, e2 + 1, e3 - 1))
  local stop = e3
  for _ = 1, size do stop = find(s, '|', stop + 1, true) end
  ops = ops + 1
  slots[ops], fields[ops], sizes[ops] = slot, field, size
  tails[ops] = size > 0 and sub(s, e3 + 1, stop - 1) or ''
  pos = stop + 1
  local list = wanted[slot]
  if list == nil then
    list = { 'b' }
    wanted[slot] = list
  end
  list[#list + 1] = field
end
-- Every entry the operations name, read with one HMGET per bucket (its base time first), kept as
-- read until an operation needs its fields.
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
      if raw then entries[names[n]] = raw end
    end
  end
end
local out = {}
local dirty = {}
local order = {}
local deltas = {}
local function touch(slot, field)
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
-- The part after the state of a sending entry with at most phone and attempts ('|' and both,
-- empty ones kept), or nil for any other entry.
local function usual(raw)
  if string.byte(raw, 1) ~= 103 then return nil end
  local b1 = find(raw, '|', 1, true)
  if not b1 then return '||' end
  local b2 = find(raw, '|', b1 + 1, true)
  if not b2 then return sub(raw, b1) .. '|' end
  if find(raw, '|', b2 + 1, true) then return nil end
  return sub(raw, b1)
end
for k = 1, ops do
  local slot, field, size = slots[k], fields[k], sizes[k]
  local entries = cache[slot]
  local entry = entries[field]
  local rest = size > 0 and type(entry) == 'string' and usual(entry)
  if not entry then
    out[#out + 1] = -1
    out[#out + 1] = ''
  elseif rest then
    -- sending -> sent: the new string at once (the values end on a non-empty one).
    entries[field] = 's' .. stamps[slot] .. rest .. '|' .. tails[k]
    touch(slot, field)
    deltas.g = (deltas.g or 0) - 1
    deltas.s = (deltas.s or 0) + 1
    out[#out + 1] = 1
    out[#out + 1] = 'g'
  else
    if type(entry) == 'string' then
      local split = {}
      local p = 0
      for value in string.gmatch(entry .. '|', '([^|]*)|') do
        p = p + 1
        split[p] = value
      end
      entry = split
      entries[field] = entry
    end
    local values = {}
    if size > 0 then
      local p = 0
      for value in string.gmatch(tails[k] .. '|', '([^|]*)|') do
        p = p + 1
        values[p] = value
      end
    end
    local current = sub(entry[1], 1, 1)
    local code = decide(current, 's', entry[4] ~= nil and entry[4] ~= '')
    if code > 0 then
      for j = 1, size do
        local v = values[j]
        if v ~= '' then entry[${FIRST - 1} + j] = v end
      end
      entry[1] = 's' .. stamps[slot]
      touch(slot, field)
      if code == 1 then
        deltas[current] = (deltas[current] or 0) - 1
        deltas.s = (deltas.s or 0) + 1
      end
    else
      for j = 1, size do
        local v = values[j]
        local p = ${FIRST - 1} + j
        if v ~= '' and (entry[p] == nil or entry[p] == '') then
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
    args[#args + 1] = field
    if type(entry) == 'string' then
      args[#args + 1] = entry
    else
      local last = 1
      for p = 2, 16 do
        local v = entry[p]
        if v ~= nil and v ~= '' then last = p end
      end
      for p = 2, last do if entry[p] == nil then entry[p] = '' end end
      args[#args + 1] = table.concat(entry, '|', 1, last)
    end
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

/**
 * A `sent` patch as recordSentScript takes it: how many values follow, then the packed values of
 * the provider id .. the route, each followed by '|', '' for one the patch leaves as it is.
 * Undefined for a patch that sets another stored field, or a value packed empty: that operation
 * takes the generic transition.
 */
export function packSentValues(patch: Parameters<typeof packPatch>[0] | undefined): string | undefined {
  if (!patch) return '0|';
  const packed = packPatch(patch);
  let last = FIRST - 1;
  for (const [key, value] of Object.entries(packed)) {
    const position = Number(key);
    if (position < FIRST || position > LAST || value === '') return undefined;
    if (position > last) last = position;
  }
  let out = `${last - FIRST + 1}|`;
  for (let position = FIRST; position <= last; position += 1) out += `${packed[position] ?? ''}|`;
  return out;
}
