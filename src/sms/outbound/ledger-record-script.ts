/**
 * Recording a provider call's accepted recipients: their entries move to `sent` with the call's
 * provider id, status code, cost, parts and route. The usual entry (`sending`, only its phone and
 * attempts stored) is rewritten as one string, without splitting it; every other operation is
 * left to the general move (transitionPackedScript), which `Ledger.recordSent` runs for them.
 */
import { defineScript } from '../../infra/redis/lua';
import { PACKED_POSITIONS, packField } from './ledger-codec';
import type { LedgerEntry } from './types';
import { B36_LUA, MARK_LUA, SHIFT_LUA } from './ledger-scripts';

/** The first packed position a `sent` patch sets (the provider id; then status code, cost, parts, route). */
const FIRST = PACKED_POSITIONS.providerMessageId;

export const recordSentScript = defineScript('record-sent-packed', `
--[[
  Moves the usual entries of a provider call's accepted recipients to sent: an entry in sending
  with at most its phone and attempts stored is rewritten as one string ('s', the time, its phone
  and attempts, then the call's values), together with the per-state counts. Every other
  operation is left as it is and answered 'd': the caller hands those to transitionPackedScript,
  whose rules (refusals, merges, other forms) are not repeated here. Once an operation on an entry
  is left, every later one on the same entry is left too, so the entry's operations keep their
  order. A message written in the earlier layout (one hash of JSON entries) is left to the earlier
  script: the answer is then {-9}, nothing changed.
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
  Returns a string of one character per operation: '1' moved from sending, 'd' left to the general move.
]]
${B36_LUA}
${SHIFT_LUA}
${MARK_LUA}
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
-- Every entry the operations name, read with one command per bucket (its base time with them):
-- HMGET, or HGETALL when they name most of the bucket (one walk of its entries, not a search for each).
local raws = {}
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
  if base then
    local seconds = math.floor((now - base) / 1000)
    stamps[slot] = seconds == 0 and '' or b36(seconds)
    raws[slot] = entries
  else
    raws[slot] = {}
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
local out = {}
local left = {}
local dirty = {}
local order = {}
local sent = 0
for k = 1, ops do
  local slot, field, tail = slots[k], fields[k], tails[k]
  local id = slot .. ':' .. field
  local raw = raws[slot][field]
  -- The usual entry: sending, its phone and attempts (the common form tried first).
  local rest = not left[id] and raw and tail ~= '' and (match(raw, '^g[^|]*(|[^|]*|[^|]*)$') or usual(raw))
  if rest then
    -- sending -> sent: the new string at once (the values end on a non-empty one).
    raws[slot][field] = 's' .. stamps[slot] .. rest .. '|' .. tail
    mark(dirty, order, slot, field)
    sent = sent + 1
    out[k] = '1'
  else
    left[id] = true
    out[k] = 'd'
  end
end
-- One HSET per bucket for every entry that changed (each written once, in its final form).
for _, slot in ipairs(order) do
  local args = {}
  local written = raws[slot]
  for _, field in ipairs(dirty[slot]) do
    args[#args + 1] = field
    args[#args + 1] = written[field]
  end
  redis.call('HSET', KEYS[2 + tonumber(slot)], unpack(args))
end
if sent > 0 then shift(KEYS[2], group, 'sending', 'sent', sent) end
return table.concat(out)
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
