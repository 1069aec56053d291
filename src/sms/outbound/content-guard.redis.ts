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
import { createHash } from 'node:crypto';
import { TTL, type Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import { defineScript, runScript } from '../../infra/redis/lua';

/** Bucket length: the window is covered by WINDOW_BUCKETS full buckets plus the current one. */
export const CONTENT_BUCKET_S = 10 * 60;
const WINDOW_BUCKETS = Math.ceil(TTL.contentRepeatWindowS / CONTENT_BUCKET_S);
/** Hashes per bucket (2^14): about 61 fields each at a million sends, under the 128 of a compact hash. */
export const CONTENT_SHARDS = 16_384;
const CHUNK = 1000;

const guardScript = defineScript('content-guard', `
--[[
  Counts one send per (pair) unless the pair is at the cap over the window.
  KEYS: per shard group g (1-based), ${WINDOW_BUCKETS + 1} keys: the current bucket's hash, then the earlier buckets'
  ARGV[1] cap, ARGV[2] seconds the current bucket's hashes must live
  then per pair one key: its counter as stored before the buckets (read while such keys live)
  ARGV[1] cap, ARGV[2] seconds the current bucket's hashes must live
  ARGV[3], ARGV[4], ARGV[5] ... shard group, field and earlier key (index in KEYS) of each pair
  Returns one flag per pair: 1 at the cap (not counted), 0 counted.
]]
local per = ${WINDOW_BUCKETS + 1}
local cap = tonumber(ARGV[1])
local out = {}
local touched = {}
for i = 3, #ARGV, 3 do
  local base = (tonumber(ARGV[i]) - 1) * per
  local field = ARGV[i + 1]
  local n = tonumber(redis.call('GET', KEYS[tonumber(ARGV[i + 2])])) or 0
  for j = 1, per do n = n + (tonumber(redis.call('HGET', KEYS[base + j], field)) or 0) end
  if n >= cap then
    out[#out + 1] = 1
  else
    redis.call('HINCRBY', KEYS[base + 1], field, 1)
    touched[base + 1] = true
    out[#out + 1] = 0
  end
end
for k in pairs(touched) do redis.call('EXPIRE', KEYS[k], ARGV[2]) end
return out
`);

export class ContentGuard {
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
    for (let start = 0; start < phones.length; start += CHUNK) {
      const chunk = phones.slice(start, start + CHUNK);
      const groups = new Map<number, number>();
      const keys: string[] = [];
      const args: Array<string | number> = [this.cap, liveS];
      const earlier: string[] = [];
      for (const phone of chunk) {
        const digest = createHash('sha256').update(`${phone}\u0000${text}`).digest();
        const shard = digest.readUInt16BE(0) % CONTENT_SHARDS;
        let group = groups.get(shard);
        if (group === undefined) {
          group = groups.size + 1;
          groups.set(shard, group);
          for (let back = 0; back <= WINDOW_BUCKETS; back += 1) keys.push(this.keys.routing.contentRepeat(bucket - back, shard));
        }
        earlier.push(this.keys.routing.contentRepeatEarlier(digest.toString('hex', 0, 16)));
        args.push(group, digest.subarray(2, 8).toString('base64url'), 0);
      }
      // Each pair's earlier key goes after the bucket keys; its index fills the third argument.
      for (let n = 0; n < earlier.length; n += 1) args[2 + n * 3 + 2] = keys.length + n + 1;
      const flags = (await runScript(this.redis, guardScript, [...keys, ...earlier], args)) as number[];
      chunk.forEach((phone, position) => { if (flags[position] === 1) over.add(phone); });
    }
    return over;
  }
}
