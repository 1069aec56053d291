/**
 * The one suppression list. STOP keywords, Africa's Talking's opt-out callback, `UserInBlacklist`
 * send results and delivery reports all land here; the pipeline checks it when a message is queued
 * and again just before the provider call. Opt-out is final until `unsuppress` (the person opts
 * back in), which clears every source at once.
 *
 * AT's opt-out callback names the sender the person opted out of, so that record applies to
 * messages from that sender only; when the gateway's sender is unknown (AT's default sender) it
 * applies to every message, since the callback may well be about that default.
 */
import type { Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import { systemClock, type Clock } from '../../kernel/clock';
import { defineScript, runScript } from '../../infra/redis/lua';
import type { SuppressionList as SuppressionPort, SuppressionSource } from './suppression-port';


export interface SuppressionRecord {
  /** Set when the opt-out covers every sender: source and epoch ms. */
  global?: { source: SuppressionSource; at: number };
  /** Sender id -> epoch ms, from AT's per-sender opt-out callback. */
  senders?: Record<string, number>;
}

const suppressScript = defineScript('suppress', `
--[[
  Adds one source to a phone's suppression record (read-modify-write in one step).
  KEYS[1] suppression hash (phone -> JSON record)
  ARGV[1] phone, ARGV[2] source, ARGV[3] sender id ('' = every sender), ARGV[4] now (ms)
  Returns 1 when the record changed, 0 when it already covered this.
]]
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local record = {}
if raw then record = cjson.decode(raw) end
if ARGV[3] == '' then
  if record.global then return 0 end
  record.global = { source = ARGV[2], at = tonumber(ARGV[4]) }
else
  if type(record.senders) ~= 'table' then record.senders = {} end
  if record.senders[ARGV[3]] then return 0 end
  record.senders[ARGV[3]] = tonumber(ARGV[4])
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(record))
return 1
`);

/** True when `record` stops a message from `sender` (undefined: the default sender, unknown). */
export function blocks(record: SuppressionRecord | undefined, sender: string | undefined): boolean {
  if (!record) return false;
  if (record.global) return true;
  const senders = Object.keys(record.senders ?? {});
  if (senders.length === 0) return false;
  return sender === undefined || senders.includes(sender);
}

export class SuppressionList implements SuppressionPort {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Suppresses `phone` (for every sender, or only `senderId`). Idempotent; returns true when it changed. */
  async suppress(phone: string, source: SuppressionSource, senderId?: string): Promise<boolean> {
    const changed = await runScript(this.redis, suppressScript, [this.keys.messaging.suppression()], [phone, source, senderId ?? '', this.clock.now().getTime()]);
    return changed === 1;
  }

  /** The person opted back in: removes every source. Returns true when there was a record. */
  async unsuppress(phone: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.messaging.suppression(), phone)) === 1;
  }

  async get(phone: string): Promise<SuppressionRecord | undefined> {
    const raw = await this.redis.hget(this.keys.messaging.suppression(), phone);
    return raw ? (JSON.parse(raw) as SuppressionRecord) : undefined;
  }

  /** Whether a message from `sender` to `phone` must not go out. */
  async isSuppressed(phone: string, sender: string | undefined): Promise<boolean> {
    return blocks(await this.get(phone), sender);
  }

  /**
   * Opted-out numbers, newest first: each with where the opt-out came from and when; `search`
   * keeps those whose number contains its digits. Reads the whole list (one per person, so
   * thousands at most), never changes it.
   */
  async list(options: { search?: string; offset?: number; limit?: number } = {}): Promise<{ total: number; items: Array<{ phone: string; source: string; at: string; senders: string[] }> }> {
    const digits = (options.search ?? '').replace(/\D/g, '');
    const all = Object.entries(await this.redis.hgetall(this.keys.messaging.suppression())).map(([phone, raw]) => {
      const record = JSON.parse(raw) as SuppressionRecord;
      const senders = Object.entries(record.senders ?? {});
      const at = record.global?.at ?? Math.max(0, ...senders.map(([, ms]) => ms));
      return { phone, source: record.global?.source ?? 'at_opt_out', at: new Date(at).toISOString(), senders: senders.map(([id]) => id) };
    }).filter((item) => digits === '' || item.phone.replace(/\D/g, '').includes(digits))
      .sort((a, b) => b.at.localeCompare(a.at) || a.phone.localeCompare(b.phone));
    const offset = options.offset ?? 0;
    return { total: all.length, items: all.slice(offset, offset + (options.limit ?? 50)) };
  }

  /** The subset of `phones` suppressed for `sender`, in one round trip. */
  async suppressedAmong(phones: string[], sender: string | undefined): Promise<Set<string>> {
    const out = new Set<string>();
    if (phones.length === 0) return out;
    const raws = await this.redis.hmget(this.keys.messaging.suppression(), ...phones);
    phones.forEach((phone, position) => {
      const raw = raws[position];
      if (raw && blocks(JSON.parse(raw) as SuppressionRecord, sender)) out.add(phone);
    });
    return out;
  }
}
