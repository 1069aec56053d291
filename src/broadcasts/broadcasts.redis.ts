/**
 * Broadcast records in Redis: a hash per broadcast (static description + mutable fields written
 * one field at a time, so a pause never races a wave's progress), the frozen recipient list, the
 * ledger groups it fanned out, an index by creation time and the idempotency-key map.
 */
import { randomUUID } from 'node:crypto';
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { maskPhone } from '../kernel/phone';
import type { BroadcastDraft, BroadcastState } from './broadcast-types';
import type { Language } from '../engine';
import { defineScript, runScript } from '../infra/redis/lua';

/** A recipient list being built expires this long after its last chunk, unless renamed into place. */
const BUILDING_TTL_MS = 120_000;
/** Chunks of the recipient list being pushed at once (each its own transaction, sent in order). */
const PUSHES_IN_FLIGHT = 8;

const releaseScript = defineScript('broadcast-release-lease', `
--[[
  Deletes a broadcast's creation lease only while it is still ours (a taken-over lease stays).
  KEYS[1] the creation lease (string: its holder's token)
  ARGV[1] our token
  Returns 1 when it was ours and is gone, 0 otherwise.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export interface BroadcastMeta {
  id: string;
  packId: string;
  name: string;
  draft: BroadcastDraft;
  createdAt: string;
  sendAt: string;
  urgent: boolean;
  /** ISO time after which nothing more is sent; absent: no expiry. */
  expiresAt?: string;
  total: number;
  byLanguage: Record<Language, number>;
  waveSize: number;
  waves: number;
  /** Label used for {session}. */
  session: string;
  /**
   * Its ledger messages are in its own counted group (`messageIdFor(key, id)`), so its counts are
   * one read; absent on broadcasts created before such groups (counted message by message).
   */
  counted?: true;
}

export interface BroadcastRecord extends BroadcastMeta {
  state: BroadcastState;
  nextWave: number;
  startedAt?: string;
  cancelledAt?: string;
  /** Written, but its creator has not yet scheduled it (see `create` and `ready`). */
  creating?: true;
}

/** The mutable fields a new broadcast starts with. */
export type InitialState = { state: 'scheduled' } | { state: 'sending'; startedAt: string };

export interface Recipient { p: string; l: Language }

export function broadcastKeys(keys: Keys, id: string) {
  const b = keys.broadcasts;
  return { record: b.record(id), recipients: b.recipients(id), groups: b.groups(id), resends: b.resends(id), creating: b.creating(id) };
}

export function createBroadcastStore(redis: RedisClient, keys: Keys) {
  const index = keys.broadcasts.index();
  const idempotency = keys.broadcasts.idempotency();
  return {
    /** Claims an idempotency key for `id`; returns the id that owns it (ours or the earlier one). */
    async claim(idempotencyKey: string, id: string): Promise<string> {
      const set = await redis.hsetnx(idempotency, idempotencyKey, id);
      return set === 1 ? id : ((await redis.hget(idempotency, idempotencyKey)) ?? id);
    },
    /** Takes the creation lease of `id` for `ttlMs` unless another request holds it. */
    async lease(id: string, token: string, ttlMs: number): Promise<boolean> {
      return (await redis.set(broadcastKeys(keys, id).creating, token, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async release(id: string, token: string): Promise<void> {
      await runScript(redis, releaseScript, [broadcastKeys(keys, id).creating], [token]);
    },
    /**
     * Writes the recipients, then the description and first state, so no reader ever sees half a
     * broadcast: the recipients are pushed in chunks of 1,000 (each its own command, so other
     * clients of this Redis, USSD hops above all, are served between them rather than behind one
     * transaction of the whole list; a few sent at once, in order, on the one connection) into a
     * list of this creation's own (same slot, expiring while it is built, so a dead creator's
     * leaves nothing; a chunk that failed fails the create), which one MULTI renames into place
     * together with the record. Two creations of one id (a takeover of a slow creator) each
     * replace the whole list, as before. It stays `creating` until `ready`. Then indexes it
     * (idempotent).
     */
    async create(meta: BroadcastMeta, recipients: Recipient[], initial: InitialState = { state: 'scheduled' }): Promise<void> {
      const k = broadcastKeys(keys, meta.id);
      const building = `${k.recipients}:building:${randomUUID()}`;
      // PUSHES_IN_FLIGHT chunks are sent at once: on one connection they run in the order sent.
      for (let i = 0; i < recipients.length; i += 1000 * PUSHES_IN_FLIGHT) {
        const pushes: Array<Promise<unknown>> = [];
        for (let j = i; j < Math.min(recipients.length, i + 1000 * PUSHES_IN_FLIGHT); j += 1000) {
          pushes.push(redis.multi()
            .rpush(building, ...recipients.slice(j, j + 1000).map((r) => JSON.stringify(r)))
            .pexpire(building, BUILDING_TTL_MS)
            .exec());
        }
        await Promise.all(pushes);
      }
      const tx = redis.multi();
      if (recipients.length > 0) tx.rename(building, k.recipients).persist(k.recipients);
      else tx.del(k.recipients);
      tx.hset(k.record, { meta: JSON.stringify(meta), nextWave: '0', creating: '1', ...initial });
      const results = (await tx.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
      await this.index(meta);
    },
    async index(meta: BroadcastMeta): Promise<void> {
      await redis.zadd(index, new Date(meta.createdAt).getTime(), meta.id);
    },
    /** Its first wave is scheduled: the broadcast is no longer being created. */
    async ready(id: string): Promise<void> {
      await redis.hdel(broadcastKeys(keys, id).record, 'creating');
    },
    async get(id: string): Promise<BroadcastRecord | null> {
      const hash = await redis.hgetall(broadcastKeys(keys, id).record);
      if (!hash.meta) return null;
      const meta = JSON.parse(hash.meta) as BroadcastMeta;
      return {
        ...meta,
        state: (hash.state ?? 'scheduled') as BroadcastState,
        nextWave: Number(hash.nextWave ?? 0),
        ...(hash.startedAt ? { startedAt: hash.startedAt } : {}),
        ...(hash.cancelledAt ? { cancelledAt: hash.cancelledAt } : {}),
        // Released by "send now": it goes at that time, quiet hours or not.
        ...(hash.releasedAt ? { sendAt: hash.releasedAt, urgent: true } : {}),
        ...(hash.creating ? { creating: true as const } : {}),
      };
    },
    async set(id: string, fields: Partial<Record<'state' | 'nextWave' | 'startedAt' | 'cancelledAt' | 'releasedAt', string>>): Promise<void> {
      await redis.hset(broadcastKeys(keys, id).record, fields);
    },
    async wave(id: string, wave: number, size: number): Promise<Recipient[]> {
      const rows = await redis.lrange(broadcastKeys(keys, id).recipients, wave * size, (wave + 1) * size - 1);
      return rows.map((row) => JSON.parse(row) as Recipient);
    },
    async addGroups(id: string, groups: string[], resend = false): Promise<void> {
      const k = broadcastKeys(keys, id);
      if (groups.length > 0) await redis.sadd(resend ? k.resends : k.groups, ...groups);
    },
    async groups(id: string, resend = false): Promise<string[]> {
      const k = broadcastKeys(keys, id);
      return redis.smembers(resend ? k.resends : k.groups);
    },
    async list(limit: number): Promise<string[]> {
      return redis.zrevrange(index, 0, limit - 1);
    },
    /**
     * Erasure: the number is masked in the pack's frozen recipient lists (a wave then skips it as
     * invalid, and positions stay put) and in their descriptions (a list audience names it).
     */
    async erase(packId: string, phone: string): Promise<number> {
      const masked = maskPhone(phone);
      let erased = 0;
      for (const id of await redis.zrange(index, 0, -1)) {
        const k = broadcastKeys(keys, id);
        const meta = await redis.hget(k.record, 'meta');
        if (!meta || (JSON.parse(meta) as BroadcastMeta).packId !== packId) continue;
        const rows = await redis.lrange(k.recipients, 0, -1);
        for (const [position, row] of rows.entries()) {
          const recipient = JSON.parse(row) as Recipient;
          if (recipient.p !== phone) continue;
          await redis.lset(k.recipients, position, JSON.stringify({ ...recipient, p: masked }));
          erased++;
        }
        if (meta.includes(phone)) await redis.hset(k.record, 'meta', meta.split(phone).join(masked));
      }
      return erased;
    },
  };
}

export type BroadcastStore = ReturnType<typeof createBroadcastStore>;
