/**
 * The content guard: the same text to the same phone at most `cap` times in 30 minutes, counted
 * across every broadcast and reminder (an organiser pressing send twice, two campaigns with one
 * text). A send over the cap is not counted and its recipient is skipped `repeated_content`.
 *
 * Stored compactly: sends are counted in 10-minute buckets, each bucket spread over SHARDS small
 * hashes (small enough for Redis's compact hash encoding at a million sends a bucket), one field
 * per (phone, text) pair: 48 bits of a SHA-256 of the pair (no number in clear, so erasure has
 * nothing to find), a few bytes each instead of a key each. A count sums the current bucket and
 * the three before it, so it covers between 30 and 40 minutes: it errs toward skipping, never
 * toward a repeat over the cap. Every key carries the `{repeat}` hash tag: one Cluster slot, so
 * one script checks and counts a whole chunk atomically.
 */
import { hash } from 'node:crypto';
import { escapeGlob, TTL, type Keys } from '../../infra/redis/keys';
import { scanKeys } from '../../infra/redis/scan';
import type { RedisClient } from '../../infra/redis/client';
import { defineScript, runScript } from '../../infra/redis/lua';

/** Bucket length: the window is covered by WINDOW_BUCKETS full buckets plus the current one. */
export const CONTENT_BUCKET_S = 10 * 60;
const WINDOW_BUCKETS = Math.ceil(TTL.contentRepeatWindowS / CONTENT_BUCKET_S);
/** Hashes per bucket (2^14): about 61 fields each at a million sends, under the 128 of a compact hash. */
export const CONTENT_SHARDS = 16_384;
const CHUNK = 1000;
/**
 * Seconds after this layout first ran (Redis's clock) during which anything written before it may
 * still live: bucket hashes without a mark in the layout hash (at most the window plus the current
 * bucket, 40 minutes) and the one-key-per-pair counters (30 minutes). Until then every pair reads
 * them all; a minute more for clocks that disagree.
 */
export const CONTENT_LAYOUT_TRANSITION_S = (WINDOW_BUCKETS + 1) * CONTENT_BUCKET_S + 60;
/** The layout hash lives this long after the guard's last call (when it is gone, the transition starts again: safe). */
const LAYOUT_TTL_S = 7 * 24 * 3600;
/** Plan bit for the one-key-per-pair counters; bits 0 .. WINDOW_BUCKETS-1 are the earlier buckets. */
const PAIR_KEYS = 2 ** WINDOW_BUCKETS;
const EVERYTHING = PAIR_KEYS * 2 - 1;

/** The guard's layout hash: `since` (when this layout first ran) and `b<bucket>` for each bucket it wrote. */
export function contentLayoutKey(keys: Keys): string {
  return keys.routing.contentRepeatLayout();
}

const guardScript = defineScript('content-guard', `
--[[
  Counts one send per pair unless the pair is at the cap over the window.
  KEYS[1] the layout hash: since = Redis time this layout first ran, b<bucket> = 1 for each bucket
  it counted in. The other hashes it reads share its {repeat} slot and are named here from ARGV[6]
  and ARGV[7] (one argument for the whole chunk, not a key per pair and bucket): per pair, the
  current bucket's hash, the hashes of the earlier buckets in the plan (newest first), and, when the
  plan has bit ${PAIR_KEYS}, the pair's counter as stored before the buckets.
  ARGV[1] cap, ARGV[2] seconds the current bucket's hashes must live, ARGV[3] the current bucket,
  ARGV[4] the plan: bit j-1 set = earlier bucket (current - j) is read, bit ${PAIR_KEYS} = the pair counters are
  read; ARGV[5] the prefix of the pair counters (the pair's hex digest follows);
  ARGV[6] comma list of the bucket hashes' names up to the shard: the current bucket's, then each
  earlier bucket of the plan, newest first;
  ARGV[7] the pairs, each '<shard in base 36>:<field>:<hex digest>,' (the digest empty unless the
  plan reads the pair counters).
  The plan must cover what may exist: while the layout is younger than ${CONTENT_LAYOUT_TRANSITION_S} s, everything;
  after, the marked buckets. Otherwise nothing is counted and the reply is {-1, needed plan}.
  Returns one flag per pair (1 at the cap, not counted; 0 counted), then the needed plan.
]]
local layout = KEYS[1]
local cap = tonumber(ARGV[1])
local bucket = tonumber(ARGV[3])
local plan = tonumber(ARGV[4])
local now = tonumber(redis.call('TIME')[1])
local since = tonumber(redis.call('HGET', layout, 'since'))
if not since then
  since = now
  redis.call('HSET', layout, 'since', now)
  redis.call('EXPIRE', layout, ${LAYOUT_TTL_S})
end
local need = 0
if now - since < ${CONTENT_LAYOUT_TRANSITION_S} then
  need = ${EVERYTHING}
else
  local marks = redis.call('HMGET', layout${Array.from({ length: WINDOW_BUCKETS }, (_, j) => `, 'b' .. (bucket - ${j + 1})`).join('')})
  for j = 1, ${WINDOW_BUCKETS} do if marks[j] then need = need + 2 ^ (j - 1) end end
end
if bit.band(plan, need) ~= need then return {-1, need} end
local buckets = {}
for name in string.gmatch(ARGV[6], '[^,]+') do buckets[#buckets + 1] = name end
local pairs_read = bit.band(plan, ${PAIR_KEYS}) ~= 0
local out = {}
local touched = {}
for shard, field, digest in string.gmatch(ARGV[7], '([^:,]*):([^:,]*):([^:,]*),') do
  local n = 0
  for j = 2, #buckets do n = n + (tonumber(redis.call('HGET', buckets[j] .. shard, field)) or 0) end
  if pairs_read then n = n + (tonumber(redis.call('GET', ARGV[5] .. digest)) or 0) end
  if n >= cap then
    out[#out + 1] = 1
  else
    local key = buckets[1] .. shard
    local counted = redis.call('HINCRBY', key, field, 1)
    if n + counted > cap then
      -- Over with the current bucket's count: undone (counted is at least 2 here, the field stays).
      redis.call('HINCRBY', key, field, -1)
      out[#out + 1] = 1
    else
      -- A new field may be a new hash: it gets its expiry (an existing one has the same end).
      if counted == 1 then touched[key] = true end
      out[#out + 1] = 0
    end
  end
end
for key in pairs(touched) do redis.call('EXPIRE', key, ARGV[2]) end
if redis.call('HSETNX', layout, 'b' .. bucket, 1) == 1 then
  -- First count in this bucket: marks of buckets long out of every window go (kept an hour more for clocks that disagree).
  for _, name in ipairs(redis.call('HKEYS', layout)) do
    if string.sub(name, 1, 1) == 'b' and tonumber(string.sub(name, 2)) < bucket - ${2 * WINDOW_BUCKETS + 6} then redis.call('HDEL', layout, name) end
  end
end
redis.call('EXPIRE', layout, ${LAYOUT_TTL_S})
out[#out + 1] = need
return out
`);

/**
 * Ends the transition early: when the layout's `since` is still the one read before a scan that
 * found nothing written before the layout, it is moved back past the transition.
 * KEYS[1] the layout hash; ARGV[1] the `since` read before the scan.
 * Returns 1 when moved, 0 when `since` had changed (left as it is).
 */
const endTransitionScript = defineScript('content-guard-end-transition', `
local since = redis.call('HMGET', KEYS[1], 'since')[1]
if since ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'since', tonumber(since) - ${CONTENT_LAYOUT_TRANSITION_S})
return 1
`);

/**
 * Starts the layout already past its transition, when nothing of the guard's exists yet.
 * KEYS[1] the layout hash. No ARGV.
 * Returns 1 when `since` was set (Redis's time less the transition), 0 when a call had set it first.
 */
const startSettledScript = defineScript('content-guard-start-settled', `
if redis.call('HEXISTS', KEYS[1], 'since') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'since', tonumber(redis.call('TIME')[1]) - ${CONTENT_LAYOUT_TRANSITION_S})
redis.call('EXPIRE', KEYS[1], ${LAYOUT_TTL_S})
return 1
`);

export class ContentGuard {
  /** What the last call found may exist, for its bucket: the next call's plan. */
  private known: { bucket: number; need: number } | undefined;
  /** This process's one look for anything written before the layout (see `endTransitionIfNothingBefore`). */
  private transitionCheck: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    /** 0 = no guard. */
    private readonly cap: number,
    /** Epoch ms; picks the bucket (tests move it). */
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.cap > 0;
  }

  /** Counts `text` once more for each phone; resolves the phones already at the cap (those are not counted). */
  async overCap(phones: readonly string[], text: string): Promise<Set<string>> {
    const over = new Set<string>();
    if (!this.enabled || phones.length === 0) return over;
    const nowS = Math.floor(this.now() / 1000);
    const bucket = Math.floor(nowS / CONTENT_BUCKET_S);
    // The current bucket counts until the window has passed over its end.
    const liveS = (bucket + 1 + WINDOW_BUCKETS) * CONTENT_BUCKET_S - nowS;
    const layout = contentLayoutKey(this.keys);
    for (let start = 0; start < phones.length; start += CHUNK) {
      const digests = phones.slice(start, start + CHUNK).map((phone) => hash('sha256', `${phone}\u0000${text}`, 'buffer'));
      // Each pair's shard and field (and the hex digest that names its earlier counter, read while the plan asks).
      const shards = digests.map((digest) => `${(digest.readUInt16BE(0) % CONTENT_SHARDS).toString(36)}:${digest.subarray(2, 8).toString('base64url')}:`);
      // The plan the last call found enough; when the script finds more may exist, once again with
      // that (twice more at most, then everything, which is always enough).
      let plan = this.known?.bucket === bucket ? this.known.need : 0;
      for (let attempt = 0; ; attempt += 1) {
        const buckets = [this.keys.routing.contentRepeatBucketPrefix(bucket)];
        for (let back = 1; back <= WINDOW_BUCKETS; back += 1) if (plan & (2 ** (back - 1))) buckets.push(this.keys.routing.contentRepeatBucketPrefix(bucket - back));
        let list = '';
        if (plan & PAIR_KEYS) digests.forEach((digest, position) => { list += `${shards[position] ?? ''}${digest.toString('hex', 0, 16)},`; });
        else for (const shard of shards) list += `${shard},`;
        const reply = (await runScript(this.redis, guardScript, [layout], [this.cap, liveS, bucket, plan, this.keys.routing.contentRepeatEarlier(''), buckets.join(','), list])) as number[];
        const need = Number(reply[reply.length - 1]);
        this.known = { bucket, need };
        if (need & PAIR_KEYS && !this.transitionCheck) this.transitionCheck = this.endTransitionIfNothingBefore().catch(() => undefined);
        if (reply[0] !== -1) {
          digests.forEach((_, position) => { if (reply[position] === 1) over.add(phones[start + position] as string); });
          break;
        }
        plan = attempt < 2 ? need : EVERYTHING;
      }
    }
    return over;
  }

  /**
   * At worker start, before any call: this process's one look for anything written before the
   * layout, in the background. On an install where the guard has written nothing yet the layout
   * starts past its transition, so the first broadcast's calls read only the buckets it marked.
   * Never rejects.
   */
  prepare(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    this.transitionCheck ??= this.startSettledIfNothingYet().catch(() => undefined);
    return this.transitionCheck;
  }

  private async startSettledIfNothingYet(): Promise<void> {
    const layout = contentLayoutKey(this.keys);
    const since = await this.redis.hget(layout, 'since');
    if (since !== null) {
      // Past its transition already: nothing to look for.
      const [seconds] = await this.redis.time();
      if (Number(seconds) - Number(since) >= CONTENT_LAYOUT_TRANSITION_S) return;
    } else {
      const found = await scanKeys(this.redis, `${escapeGlob(this.keys.routing.contentRepeatPrefix())}*`);
      // Nothing at all: the layout starts settled (unless a call began it meanwhile).
      if (!found.some((key) => key !== layout) && Number(await runScript(this.redis, startSettledScript, [layout], [])) === 1) return;
    }
    // The layout has run before, or a call began it during the scan (its bucket is marked), or
    // something was found: the usual look, which tells marked buckets from what came before.
    await this.endTransitionIfNothingBefore();
  }

  /** Resolves once this process's look for anything written before the layout has finished. */
  transitionChecked(): Promise<void> {
    return this.transitionCheck ?? Promise.resolve();
  }

  /**
   * While the layout is new, every pair reads every earlier bucket and its counter of the layout
   * before: several times the work. On a fresh install (or once it has all expired) nothing of that
   * exists: one scan of the {repeat} keys, in the background, finds nothing but buckets the layout
   * marked, and the transition ends. A bucket hash without a mark or a pair counter keeps it.
   */
  private async endTransitionIfNothingBefore(): Promise<void> {
    const layout = contentLayoutKey(this.keys);
    const since = await this.redis.hget(layout, 'since');
    if (since === null) return;
    const base = this.keys.routing.contentRepeatPrefix();
    const found = await scanKeys(this.redis, `${escapeGlob(base)}*`);
    // Read after the scan: a bucket the layout counted in before or during the scan is marked here.
    const marked = new Set(await this.redis.hkeys(layout));
    for (const key of found) {
      if (key === layout) continue;
      const bucket = /^([0-9a-z]+):[0-9a-z]+$/.exec(key.slice(base.length));
      if (!bucket || !marked.has(`b${parseInt(bucket[1] as string, 36)}`)) return;
    }
    await runScript(this.redis, endTransitionScript, [layout], [since]);
  }
}
