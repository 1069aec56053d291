/**
 * The global send rate: at most `ratePerSecond` recipients reach the provider in any one-second
 * window (sliding, any start), shared by every worker of every process through one Redis log. The
 * lanes' shares are work-conserving: while no reply has asked for a slot in the last
 * `REPLY_QUIET_MS`, the bulk lane may take the whole rate; once one asks, the bulk lane is held to
 * its share (the rate minus a fifth) until replies have been quiet that long again, so a reply
 * arriving during a broadcast gets a slot as soon as the broadcast's slots already stamped have
 * left (within a second plus `PACE_AHEAD_MS`), and replies keep a fifth of the rate free after that.
 *
 * Each call's slots are one member of the log (its token and how many recipients it carries),
 * stamped with the time the call may leave: now when slots are free, else
 * the moment enough of the oldest leave the window (up to `PACE_AHEAD_MS` ahead, so no worker polls
 * for room). The call is held until that moment and must leave within `PACE_GUARD_MS` of it, or
 * its slots are given back and taken again. The log counts a second plus that guard, so however
 * the calls of one second are late within the guard, no second at the provider carries more than
 * the rate. A network with a share
 * (SMS_NETWORK_SHARES) is counted in its own log by the same script, in the same step, with the same
 * limit for both lanes.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import { defineScript, runScript } from '../../infra/redis/lua';
import type { Lane } from './types';

/** The most a call may leave after its slot's time (the Redis answer, the claim, the call's start). */
export const PACE_GUARD_MS = 25;
/** The furthest ahead a slot is taken (the call is held until then). */
export const PACE_AHEAD_MS = 300;
/** The log's window: a second, the guard, and a millisecond either side for Redis TIME's rounding. */
export const PACE_WINDOW_MS = 1000 + PACE_GUARD_MS + 2;

/** How long after a reply last asked for a slot the bulk lane stays held to its share (then it may take the whole rate again). */
export const REPLY_QUIET_MS = 2 * PACE_WINDOW_MS;

/** Recipients per second the bulk lane may take while replies are asking: the rate minus a fifth (at least one) kept for them. */
export function bulkShare(ratePerSecond: number): number {
  if (ratePerSecond <= 1) return 1;
  return ratePerSecond - Math.max(1, Math.floor(ratePerSecond / 5));
}

/** A network's own log and limit, counted with the global one. */
export interface NetworkSlot {
  key: string;
  limit: number;
}

/** Slots taken for one call: send at most `count` recipients, not before `notBefore`, and only while `fresh`. */
export interface Grant {
  readonly count: number;
  /** performance.now() from which the call may leave (the answer came, plus the hold): never earlier than its slot. */
  readonly notBefore: number;
  /** performance.now() after which it may not (asked, plus the hold, plus the guard). */
  readonly leaveBy: number;
  readonly token: string;
  readonly keys: readonly string[];
}

export class SendRateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly ratePerSecond: number,
  ) {}

  /** The most recipients one provider call of `lane` may carry (a bulk call never exceeds the lane's share, so it fits beside replies). */
  limitFor(lane: Lane): number {
    return lane === 'priority' ? this.ratePerSecond : bulkShare(this.ratePerSecond);
  }

  /**
   * Waits until slots are free and takes them: all `n` (capped at the lane's and the network's
   * limit) when `whole`, else as many as are free now (at least one). Resolves undefined when
   * `signal` aborts first. Take slots only right before the call and check `fresh` just before it.
   */
  async take(n: number, lane: Lane, options: { network?: NetworkSlot; whole?: boolean; signal?: AbortSignal } = {}): Promise<Grant | undefined> {
    const { network, whole = false, signal } = options;
    const limit = this.limitFor(lane);
    const wanted = Math.max(1, Math.min(n, limit, network?.limit ?? limit));
    const global = this.keys.pacing.global();
    // The replies' mark sits beside the global log (same hash slot), so one script reads and sets both.
    const marked = this.keys.pacing.repliesMark();
    const scriptKeys = network ? [global, marked, network.key] : [global, marked];
    const keys = network ? [global, network.key] : [global];
    const args = [PACE_WINDOW_MS, this.ratePerSecond, bulkShare(this.ratePerSecond), lane === 'priority' ? 1 : 0, wanted, network?.limit ?? 0, whole ? 1 : 0, PACE_AHEAD_MS, REPLY_QUIET_MS];
    while (!signal?.aborted) {
      const token = randomUUID();
      const askedAt = performance.now();
      const [granted, ms] = (await runScript(this.redis, laneScript, scriptKeys, [...args, token])) as [number, number];
      if (Number(granted) > 0) return { count: Number(granted), notBefore: performance.now() + Number(ms), leaveBy: askedAt + Number(ms) + PACE_GUARD_MS, token, keys };
      await sleep(Math.min(Math.max(Number(ms), 2), PACE_WINDOW_MS), signal);
    }
    return undefined;
  }

  /** Waits until the call on `grant` may leave (its slot's time); false when `signal` aborts first. */
  async hold(grant: Grant, signal?: AbortSignal): Promise<boolean> {
    const ms = grant.notBefore - performance.now();
    if (ms > 0) await sleep(Math.ceil(ms), signal);
    return !signal?.aborted;
  }

  /** True while a call on `grant` may still leave (within the guard of its slot's time). */
  fresh(grant: Grant): boolean {
    return performance.now() <= grant.leaveBy;
  }

  /** Gives back the slots of a grant whose call did not leave (late, or fewer recipients than slots). */
  async release(grant: Grant, keep = 0): Promise<void> {
    if (keep >= grant.count) return;
    await runScript(this.redis, releaseScript, [...grant.keys], [grant.token, grant.count, Math.max(0, keep)]);
  }
}

/**
 * Shared Lua: each log keeps its load (the sum of its calls' counts) as the score of one more
 * member, SUM, at HIGH plus the load: above every time, so no time range ever takes it in.
 */
const LOG_LUA = `
local SUM = '#load'
local HIGH = 1e15
-- A member is '<token>:<count>'; the token (a UUID) holds no ':'.
local function countOf(member)
  local cut = string.find(member, ':', 1, true)
  return cut and tonumber(string.sub(member, cut + 1)) or 1
end
-- The log's load; nil when it keeps none (then it is counted from its members).
local function loadOf(key)
  local score = redis.call('ZSCORE', key, SUM)
  if score then return tonumber(score) - HIGH end
  return nil
end
local function setLoad(key, load)
  redis.call('ZADD', key, HIGH + load, SUM)
end
`;

const laneScript = defineScript('pace-lanes', `
--[[
  The send rate's sliding log, shared by every worker: each member is one call's slots,
  '<token>:<count>', scored by the ms the call may leave (Redis time, so workers on different hosts
  share one clock); a log's load is the sum of its members' counts, kept with them (see LOG_LUA)
  so a call costs O(calls leaving) rather than O(calls in the window). Slots are taken now when
  some are free, else at the earliest time in the next ARGV[8] ms when some are (all wanted with
  ARGV[7]); the caller holds its call until then. A call leaves within the guard the window carries
  on top of a second, so the calls of any second at the provider stay within the limit.
  The lanes' shares are work-conserving: a reply's ask (granted or not) sets KEYS[2] for ARGV[9]
  ms; while it is set the bulk lane counts against its share ARGV[3], else against the whole rate.
  KEYS[1] the global log; KEYS[2] the replies' mark; KEYS[3] (optional) the log of the recipients' network
  ARGV[1] window (ms): a second plus the guard
  ARGV[2] the rate; ARGV[3] the bulk lane's share while replies ask; ARGV[4] 1: a reply, 0: bulk
  ARGV[5] n, the slots wanted (n <= every limit)
  ARGV[6] the network's limit (with KEYS[3])
  ARGV[7] 1: all n or none; 0: as many as are free now (at least one)
  ARGV[8] the most ms ahead a slot may be taken
  ARGV[9] how long a reply's ask holds the bulk lane to its share (ms)
  ARGV[10] a token unique to this call (its member is token:granted)
  Returns {granted, ms to hold the call} when taken in every log, else {0, ms to wait}.
]]
${LOG_LUA}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local n = tonumber(ARGV[5])
local ahead = tonumber(ARGV[8])
local limit = tonumber(ARGV[2])
if ARGV[4] == '1' then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[9])
elseif redis.call('EXISTS', KEYS[2]) == 1 then
  limit = tonumber(ARGV[3])
end
-- Drops the calls that left the window and answers the load of those still in it.
local function trim(key)
  local load = loadOf(key)
  local gone = redis.call('ZRANGEBYSCORE', key, '-inf', now - window)
  if #gone > 0 then redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window) end
  if load == nil then
    load = 0
    for _, member in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', '(' .. HIGH)) do load = load + countOf(member) end
    if load > 0 then setLoad(key, load) end
  elseif #gone > 0 then
    for _, member in ipairs(gone) do load = load - countOf(member) end
    -- Written now: a call refused below must not leave the load counting calls already gone.
    setLoad(key, load)
  end
  return load
end
-- The slots still in the log at time \`at\` (those of calls stamped after at - window).
local function heldAt(key, load, at)
  local held = load
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', at - window)) do held = held - countOf(member) end
  return held
end
-- When \`over\` slots of the oldest calls have left the window (the last of them stamped + window).
local function whenFreed(key, over)
  local gone = 0
  local start = 0
  while true do
    local chunk = redis.call('ZRANGE', key, start, start + 63, 'WITHSCORES')
    if #chunk == 0 then return now + window end
    for i = 1, #chunk, 2 do
      if chunk[i] ~= SUM then
        gone = gone + countOf(chunk[i])
        if gone >= over then return tonumber(chunk[i + 1]) + window end
      end
    end
    start = start + 64
  end
end
local logs = { { KEYS[1], limit } }
if KEYS[3] then logs[2] = { KEYS[3], tonumber(ARGV[6]) } end
if n > limit then n = limit end
-- Free now, in every log (slots taken ahead count already: a conservative count).
local free = n
for _, log in ipairs(logs) do
  log[3] = trim(log[1])
  local left = log[2] - log[3]
  if left < free then free = left end
end
local at = now
local grant = free
local whole = ARGV[7] == '1'
if whole or free < 1 then
  -- The earliest time every log has room for what is needed (all n, or one): when enough of its
  -- oldest calls have left the window; then as many as every log has room for at that time.
  local need = whole and n or 1
  for _, log in ipairs(logs) do
    local over = log[3] + need - log[2]
    if over > 0 then
      local when = whenFreed(log[1], over)
      if when > at then at = when end
    end
  end
  if at - now > ahead then return { 0, at - now - ahead } end
  grant = n
  for _, log in ipairs(logs) do
    local left = log[2] - heldAt(log[1], log[3], at)
    if left < grant then grant = left end
  end
  if grant < need then return { 0, 1 } end
end
for _, log in ipairs(logs) do
  redis.call('ZADD', log[1], at, ARGV[10] .. ':' .. grant)
  setLoad(log[1], log[3] + grant)
  redis.call('PEXPIRE', log[1], window * 2 + ahead)
end
return { grant, at - now }
`);

const releaseScript = defineScript('pace-release', `
--[[
  Gives back slots of one call: its member keeps its time and carries at most ARGV[3] slots (none:
  gone), and the log's load drops by the slots given back. A call given back in part before is
  found by its token.
  KEYS[1..] the logs the call was counted in
  ARGV[1] the call's token; ARGV[2] the slots it was granted; ARGV[3] the slots kept
  Returns the number of logs that still held the call.
]]
${LOG_LUA}
local held = 0
local prefix = ARGV[1] .. ':'
for _, key in ipairs(KEYS) do
  local member = prefix .. ARGV[2]
  local score = redis.call('ZSCORE', key, member)
  if not score then
    local raw = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    for i = 1, #raw, 2 do
      if string.sub(raw[i], 1, #prefix) == prefix then
        member = raw[i]
        score = raw[i + 1]
        break
      end
    end
  end
  if score then
    held = held + 1
    local had = tonumber(string.sub(member, #prefix + 1)) or 0
    local kept = math.min(tonumber(ARGV[3]), had)
    redis.call('ZREM', key, member)
    if kept > 0 then redis.call('ZADD', key, score, prefix .. kept) end
    local load = loadOf(key)
    if load ~= nil then setLoad(key, load - (had - kept)) end
  end
end
return held
`);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
