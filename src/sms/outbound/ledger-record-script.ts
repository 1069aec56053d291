/**
 * Recording a provider call's accepted recipients: their entries move to `sent` with the call's
 * provider id, status code, cost, parts and route. The usual entry (`sending`, only its phone and
 * attempts stored) is rewritten as one string, without splitting it; every other entry follows
 * the rules of transitionPackedScript, with the same stored result, counts and answers.
 */
import { defineScript } from '../../infra/redis/lua';
import { PACKED_POSITIONS, packField } from './ledger-codec';
import type { LedgerEntry } from './types';
import { STATE_LUA } from './ledger-scripts';

/** The first packed position a `sent` patch sets (the provider id; then status code, cost, parts, route). */
const FIRST = PACKED_POSITIONS.providerMessageId;

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
  ARGV[3] the operations, one after another, each: its bucket's position among the bucket keys
    (1-based), '|', the entry's field in the bucket, '|', the length in bytes of its values, '|',
    then its values: the packed values of positions ${FIRST} onwards (provider id, status code, cost,
    parts, route), '|' between them (packed values never hold one), '' where the operation leaves a
    position as it is (never a packed value), the last one set
  Returns, when every previous state is a lowercase letter or none, a string of two characters per
  operation: its code ('x' for -1), its previous state letter ('.' when missing); else a flat array,
  two items per operation: code, previous state letter ('' when missing).
    1 moved; 2 same non-final state repeated, patch applied; 0 refused (state kept); -1 no entry.
]]
${STATE_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then return { -9 } end
local now = tonumber(ARGV[1])
local buckets = tonumber(ARGV[2])
local group = KEYS[3 + buckets]
local match, sub, find = string.match, string.sub, string.find
-- The operations as parallel lists: bucket position, field, values (one string).
local s = ARGV[3]
local slots, fields, tails = {}, {}, {}
local wanted = {}
local ops = 0
local pos = 1
local len = #s
while pos <= len do
  local slot, field, size, at = match(s, '^(%d+)|(%d+)|(%d+)|()', pos)
  pos = at + size
  ops = ops + 1
  slots[ops], fields[ops], tails[ops] = slot, field, sub(s, at, pos - 1)
  local list = wanted[slot]
  if list == nil then
    list = { 'b' }
    wanted[slot] = list
  end
  list[#list + 1] = field
end
-- Every entry the operations name, read with one command per bucket (its base time with them), kept
-- as read until an operation needs its fields: HMGET, or HGETALL when they name most of the bucket
-- (one walk of its entries, not a search for each).
local raws = {}
local parsed = {}
local stamps = {}
for slot, names in pairs(wanted) do
  local key = KEYS[2 + tonumber(slot)]
  local entries = {}
  local base
  if #names > 51 then
    local all = redis.call('HGETALL', key)
    for n = 1, #all, 2 do entries[all[n]] = all[n + 1] end
    base = tonumber(entries.b)
    entries.b = nil
  else
    local read = redis.call('HMGET', key, unpack(names))
    base = tonumber(read[1])
    for n = 2, #names do
      local raw = read[n]
      if raw then entries[names[n]] = raw end
    end
  end
  parsed[slot] = {}
  if base then
    local seconds = math.floor((now - base) / 1000)
    stamps[slot] = seconds == 0 and '' or b36(seconds)
    raws[slot] = entries
  else
    raws[slot] = {}
  end
end
local out = {}
local o = 0
local short = {}
local plain = true
local dirty = {}
local order = {}
local deltas = {}
local sent = 0
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
  local slot, field, tail = slots[k], fields[k], tails[k]
  local list = dirty[slot]
  if list == nil then
    list = {}
    dirty[slot] = list
  end
  local entry = parsed[slot][field]
  local raw = not entry and raws[slot][field]
  -- The usual entry: sending, its phone and attempts (the common form tried first).
  local rest = raw and tail ~= '' and (match(raw, '^g[^|]*(|[^|]*|[^|]*)$') or usual(raw))
  if rest then
    -- sending -> sent: the new string at once (the values end on a non-empty one).
    raws[slot][field] = 's' .. stamps[slot] .. rest .. '|' .. tail
    if not list[field] then
      if #list == 0 then order[#order + 1] = slot end
      list[field] = true
      list[#list + 1] = field
    end
    sent = sent + 1
    out[o + 1] = 1
    out[o + 2] = 'g'
    short[k] = '1g'
  elseif not entry and not raw then
    out[o + 1] = -1
    out[o + 2] = ''
    short[k] = 'x.'
  else
    if not entry then
      entry = {}
      local p = 0
      for value in string.gmatch(raw .. '|', '([^|]*)|') do
        p = p + 1
        entry[p] = value
      end
      parsed[slot][field] = entry
      raws[slot][field] = nil
    end
    local values = {}
    local size = 0
    if tail ~= '' then
      for value in string.gmatch(tail .. '|', '([^|]*)|') do
        size = size + 1
        values[size] = value
      end
    end
    local current = sub(entry[1], 1, 1)
    local code = decide(current, 's', entry[4] ~= nil and entry[4] ~= '')
    local changed = false
    if code > 0 then
      for j = 1, size do
        local v = values[j]
        if v ~= '' then entry[${FIRST - 1} + j] = v end
      end
      entry[1] = 's' .. stamps[slot]
      changed = true
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
          changed = true
        end
      end
    end
    if changed and not list[field] then
      if #list == 0 then order[#order + 1] = slot end
      list[field] = true
      list[#list + 1] = field
    end
    out[o + 1] = code
    out[o + 2] = current
    if current == '' then
      short[k] = code .. '.'
    elseif find(current, '^%l$') then
      short[k] = code .. current
    else
      plain = false
    end
  end
  o = o + 2
end
if sent > 0 then
  deltas.g = (deltas.g or 0) - sent
  deltas.s = (deltas.s or 0) + sent
end
-- One HSET per bucket for every entry that changed (each written once, in its final form, trailing empty fields left off).
for _, slot in ipairs(order) do
  local args = {}
  local a = 0
  local written, split = raws[slot], parsed[slot]
  for _, field in ipairs(dirty[slot]) do
    local entry = split[field]
    local value = written[field]
    if entry then
      local last = 1
      for p = 2, 16 do
        local v = entry[p]
        if v ~= nil and v ~= '' then last = p end
      end
      for p = 2, last do if entry[p] == nil then entry[p] = '' end end
      value = table.concat(entry, '|', 1, last)
    end
    args[a + 1] = field
    args[a + 2] = value
    a = a + 2
  end
  redis.call('HSET', KEYS[2 + tonumber(slot)], unpack(args))
end
for state, n in pairs(deltas) do
  if n ~= 0 then
    redis.call('HINCRBY', KEYS[2], NAMES[state], n)
    if group then redis.call('HINCRBY', group, NAMES[state], n) end
  end
end
if plain then return table.concat(short) end
return out
`);

/** The last call's status code, cost, parts and route and their packed values (a call's recipients mostly share them). */
let shared: { statusCode: unknown; hasCost: boolean; currency: unknown; amount: unknown; freeCost: boolean; parts: unknown; route: unknown; packed: string | undefined } | undefined;

/** Packed status code .. route of a patch ('|' before each, '' for one it leaves as it is, trailing unset ones left off), or undefined for one packed empty. */
function packRest(statusCode: unknown, cost: { currency: string; amount: number } | undefined, parts: unknown, route: unknown): string | undefined {
  const last = shared;
  // A cost packs from its currency and amount alone unless it takes the free form ('~' and its JSON).
  if (last && last.statusCode === statusCode && last.hasCost === (cost !== undefined) && last.currency === cost?.currency && last.amount === cost?.amount && last.parts === parts && last.route === route && !last.freeCost) return last.packed;
  const values = [
    statusCode === undefined ? undefined : packField('statusCode', statusCode),
    cost === undefined ? undefined : packField('cost', cost),
    parts === undefined ? undefined : packField('parts', parts),
    route === undefined ? undefined : packField('route', route),
  ];
  let packed: string | undefined = '';
  let pending = '';
  for (const value of values) {
    if (value === '') packed = undefined;
    if (packed === undefined) break;
    pending += '|';
    if (value === undefined) continue;
    packed += `${pending}${value}`;
    pending = '';
  }
  shared = { statusCode, hasCost: cost !== undefined, currency: cost?.currency, amount: cost?.amount, freeCost: values[1]?.startsWith('~') ?? false, parts, route, packed };
  return packed;
}

/**
 * A `sent` patch's values as recordSentScript takes them: the packed values of the provider id ..
 * the last of the route that the patch sets, '|' between them, '' for one it leaves as it is.
 * Undefined for a patch that sets another stored field, or a value packed empty: that operation
 * takes the generic transition.
 */
export function packSentValues(patch: Partial<Omit<LedgerEntry, 'index' | 'state' | 'updatedAt'>> | undefined): string | undefined {
  if (!patch) return '';
  if (patch.phone !== undefined || patch.attempts !== undefined || patch.lastReport !== undefined || patch.networkCode !== undefined || patch.reason !== undefined) return undefined;
  if (patch.providerMessageId === undefined) return packRest(patch.statusCode, patch.cost, patch.parts, patch.route);
  const id = packField('providerMessageId', patch.providerMessageId);
  if (!id) return undefined;
  const rest = packRest(patch.statusCode, patch.cost, patch.parts, patch.route);
  return rest === undefined ? undefined : `${id}${rest}`;
}
