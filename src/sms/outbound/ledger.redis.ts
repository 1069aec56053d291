/**
 * The per-recipient ledger: one entry per (message, recipient) in Redis, moved forward only by the
 * Lua scripts in `ledger-scripts.ts`, with per-state counts that always add up to the total.
 * Entries are packed short strings in buckets of `BUCKET_SIZE` (small hashes Redis keeps as
 * listpacks); a message written in the earlier layout (one hash of JSON entries) is still read and
 * moved there until it expires.
 */
import { messageGroup, TTL, type Keys } from '../../infra/redis/keys';
import { Cluster } from 'ioredis';
import type { RedisClient } from '../../infra/redis/client';
import { systemClock, type Clock } from '../../kernel/clock';
import { claimPackedScript, createPackedScript, indexProviderIdsScript, providerIdAliasScript, transitionPackedScript, transitionScript } from './ledger-scripts';
import { runScript } from '../../infra/redis/lua';
import { packSentValues, recordSentScript } from './ledger-record-script';
import { RECIPIENT_STATES, type LedgerEntry, type MessageMeta, type RecipientState, type StateCounts } from './types';
import { BASE_FIELD, BUCKET_SIZE, decodeEntry, encodePatch, packAttempts, packEntry, packPatchTokens, STATE_CODES, stateName, unpackEntry } from './ledger-codec';

/** A requested move of one entry. `merge` keeps the patch's new fields even when the move is refused. */
export interface TransitionOp {
  index: number;
  to: RecipientState;
  patch?: Partial<Omit<LedgerEntry, 'index' | 'state' | 'updatedAt'>>;
  merge?: boolean;
}

export type TransitionCode = 'moved' | 'repeated' | 'refused' | 'missing';

export interface TransitionResult {
  index: number;
  code: TransitionCode;
  /** The state before the operation (undefined when the entry is missing). */
  previous?: RecipientState;
}

export interface NewRecipient {
  phone: string;
  state: 'queued' | 'skipped';
  reason?: string;
}

const DAY_MS = 86_400_000;
const META_CACHE_SIZE = 64;
const META_CACHE_MS = 5_000;
const PID_SHARDS = 4096;

/** A batch of at least this many ids names its message by the day's alias (see providerIdAliases). */
const ALIAS_MIN_IDS = 8;
const ALIAS_CACHE_SIZE = 1024;

/**
 * The hash field of a provider id: an AT id (`ATXid_` and 32 lowercase hex digits) as base64url of
 * its 16 bytes (22 characters; raw bytes would be 6 fewer, but a Buffer argument sends the whole
 * command down ioredis's slower Buffer path), any other `~` and the id.
 */
function packedPidField(providerMessageId: string): string {
  return /^ATXid_[0-9a-f]{32}$/.test(providerMessageId) ? Buffer.from(providerMessageId.slice(6), 'hex').toString('base64url') : `~${providerMessageId}`;
}

/** The earlier hash field of a provider id (AT's `ATXid_` left off), still read; its shard is the id's shard. */
function pidField(providerMessageId: string): string {
  return providerMessageId.startsWith('ATXid_') ? providerMessageId.slice(6) : providerMessageId;
}

/** FNV-1a of the field, to one of PID_SHARDS shards. */
function pidShard(field: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < field.length; i += 1) hash = Math.imul(hash ^ field.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % PID_SHARDS;
}

const CODES: Record<string, TransitionCode> = { '1': 'moved', '2': 'repeated', '0': 'refused', '-1': 'missing' };
/** The claim's codes (see claimPackedScript). */
const CLAIM_CODES: Record<string, TransitionCode> = { '1': 'moved', '2': 'repeated', '0': 'refused', '-': 'missing' };
/** The packed transition's answer for a message in the earlier layout (nothing changed). */
const EARLIER_LAYOUT = -9;
const EARLIER_CACHE_SIZE = 256;

/** The buckets a call's entries fall in, in order of first use; `slotOf` gives an entry's '<bucket's 1-based position>|<field in the bucket>'. */
function bucketSlots(): { buckets: number[]; slotOf(index: number): string } {
  const buckets: number[] = [];
  const slots = new Map<number, number>();
  return {
    buckets,
    slotOf(index) {
      const bucket = Math.floor(index / BUCKET_SIZE);
      let slot = slots.get(bucket);
      if (slot === undefined) {
        buckets.push(bucket);
        slot = buckets.length;
        slots.set(bucket, slot);
      }
      return `${slot}|${index - bucket * BUCKET_SIZE}`;
    },
  };
}

/** The scripts' flat answer (code, previous state letter per operation) as one result per operation. */
function results(ops: Array<{ index: number }>, answers: Array<number | string>): TransitionResult[] {
  return ops.map((op, position) => {
    const previous = answers[position * 2 + 1];
    return {
      index: op.index,
      code: CODES[String(answers[position * 2])] ?? 'missing',
      ...(typeof previous === 'string' && previous !== '' ? { previous: stateName(previous) as RecipientState } : {}),
    };
  });
}

export class Ledger {
  /** Shards of `expiringDay` whose provider-id hash had its expiry set, and when (see indexProviderIds). */
  private readonly expiring = new Map<number, number>();
  private expiringDay = -1;
  /** Aliases of `expiringDay` by message id, and message ids by `<day>:<alias>` (both never change once made). */
  private readonly aliases = new Map<string, string>();
  private readonly aliased = new Map<string, string>();
  /** Broadcast descriptions last read, oldest first (see getMeta). */
  private readonly metas = new Map<string, { meta: MessageMeta; at: number }>();
  /** Messages found in the earlier layout (a message never changes layout), oldest first. */
  private readonly earlier = new Set<string>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Creates the message and its entries in one step. Returns false (and changes nothing) when it exists. */
  async create(meta: MessageMeta, recipients: NewRecipient[]): Promise<boolean> {
    const k = this.keys.messaging;
    if (!(await this.createEntries(meta, recipients))) return false;
    await this.redis.zadd(k.messages(), meta.createdAt, meta.messageId);
    if (meta.packId) await this.indexForPack(meta.packId, meta.createdAt, [meta.messageId]);
    return true;
  }

  /**
   * `create` for many messages: their scripts run concurrently (each message is its own slot),
   * then the created ones enter the indexes with one command per index. One result per message.
   */
  async createMany(items: Array<{ meta: MessageMeta; recipients: NewRecipient[] }>): Promise<boolean[]> {
    if (items.length === 0) return [];
    const created = await Promise.all(items.map((item) => this.createEntries(item.meta, item.recipients)));
    const made = items.filter((_, n) => created[n]).map((item) => item.meta);
    if (made.length === 0) return created;
    await this.redis.zadd(this.keys.messaging.messages(), ...made.flatMap((meta) => [meta.createdAt, meta.messageId]));
    const byPack = new Map<string, MessageMeta[]>();
    for (const meta of made) {
      if (!meta.packId) continue;
      const list = byPack.get(meta.packId) ?? [];
      if (list.length === 0) byPack.set(meta.packId, list);
      list.push(meta);
    }
    await Promise.all([...byPack].map(([packId, metas]) => this.indexForPack(packId, Math.max(...metas.map((meta) => meta.createdAt)), metas.map((meta) => meta.messageId), metas.map((meta) => meta.createdAt))));
    return created;
  }

  private async createEntries(meta: MessageMeta, recipients: NewRecipient[]): Promise<boolean> {
    const k = this.keys.messaging;
    const buckets = Math.ceil(recipients.length / BUCKET_SIZE);
    const packed = recipients.map((recipient) => {
      const entry: Omit<LedgerEntry, 'index'> = { phone: recipient.phone, state: recipient.state, updatedAt: meta.createdAt, attempts: 0 };
      if (recipient.reason) entry.reason = recipient.reason;
      return packEntry(entry, meta.createdAt);
    });
    // The entries in one argument, a newline between them (not one argument each: see createPackedScript),
    // unless a number given as free text holds a newline.
    const oneEach = packed.some((entry) => entry.includes('\n'));
    const args: Array<string | number> = [TTL.ledgerS, JSON.stringify(meta), buckets, meta.createdAt, BUCKET_SIZE, oneEach ? '1' : '', ...(oneEach ? packed : [packed.join('\n')])];
    const group = messageGroup(meta.messageId);
    const keys = [k.meta(meta.messageId), k.counts(meta.messageId), ...Array.from({ length: buckets }, (_, bucket) => k.recipientBucket(meta.messageId, bucket)), ...(group ? [k.groupCounts(group)] : [])];
    return (await runScript(this.redis, createPackedScript, keys, args)) === 1;
  }

  /**
   * Puts a message in the open set, before it is created: the sweeper adds the batch jobs of an
   * open message again while recipients are queued (its enqueue may have died before adding them),
   * and drops it once none are.
   */
  async markOpen(messageId: string, createdAt: number): Promise<void> {
    await this.redis.zadd(this.keys.messaging.open(), createdAt, messageId);
  }

  /** `markOpen` for many messages, in one command. */
  async markOpenMany(messages: Array<{ messageId: string; createdAt: number }>): Promise<void> {
    if (messages.length > 0) await this.redis.zadd(this.keys.messaging.open(), ...messages.flatMap((m) => [m.createdAt, m.messageId]));
  }

  /**
   * Each batch job of a broadcast reads its description first; the last few read are kept for a
   * few seconds (only erasure changes one once written: it masks a number its text names).
   */
  async getMeta(messageId: string): Promise<MessageMeta | undefined> {
    const cached = this.metas.get(messageId);
    const at = performance.now();
    if (cached && at - cached.at < META_CACHE_MS) return cached.meta;
    const raw = await this.redis.hget(this.keys.messaging.meta(messageId), 'json');
    const meta = raw ? (JSON.parse(raw) as MessageMeta) : undefined;
    this.metas.delete(messageId);
    if (meta?.kind === 'broadcast') {
      if (this.metas.size >= META_CACHE_SIZE) this.metas.delete(this.metas.keys().next().value ?? '');
      this.metas.set(messageId, { meta, at });
    }
    return meta;
  }

  /**
   * Entries at `indexes`, in order; undefined where there is none. One HMGET per bucket touched;
   * indexes whose bucket does not exist are read from the earlier layout's hash.
   */
  async entries(messageId: string, indexes: number[]): Promise<Array<LedgerEntry | undefined>> {
    if (indexes.length === 0) return [];
    const out: Array<LedgerEntry | undefined> = new Array<LedgerEntry | undefined>(indexes.length);
    let left: number[] = indexes.map((_, position) => position);
    if (!this.earlier.has(messageId)) {
      const byBucket = new Map<number, number[]>();
      for (const [position, index] of indexes.entries()) {
        const bucket = Math.floor(index / BUCKET_SIZE);
        const positions = byBucket.get(bucket) ?? [];
        if (positions.length === 0) byBucket.set(bucket, positions);
        positions.push(position);
      }
      left = [];
      await Promise.all([...byBucket].map(async ([bucket, positions]) => {
        const fields = positions.map((position) => String((indexes[position] ?? 0) - bucket * BUCKET_SIZE));
        const [base, ...raws] = await this.redis.hmget(this.keys.messaging.recipientBucket(messageId, bucket), BASE_FIELD, ...fields);
        if (base === null || base === undefined) {
          left.push(...positions);
          return;
        }
        positions.forEach((position, n) => {
          const raw = raws[n];
          out[position] = raw ? unpackEntry(indexes[position] ?? 0, raw, Number(base)) : undefined;
        });
      }));
    }
    if (left.length > 0) {
      left.sort((a, b) => a - b);
      const raws = await this.redis.hmget(this.keys.messaging.recipients(messageId), ...left.map((position) => String(indexes[position])));
      left.forEach((position, n) => { out[position] = decodeEntry(indexes[position] ?? 0, raws[n]); });
      if (raws.some((raw) => raw)) this.rememberEarlier(messageId);
    }
    return out;
  }

  /** Entries with index in [start, end). */
  async range(messageId: string, start: number, end: number): Promise<LedgerEntry[]> {
    const indexes = Array.from({ length: Math.max(0, end - start) }, (_, offset) => start + offset);
    return (await this.entries(messageId, indexes)).filter((entry): entry is LedgerEntry => entry !== undefined);
  }

  /** Entry 0 of each message (concurrently: each message is its own slot); undefined where there is none. */
  firstEntries(messageIds: string[]): Promise<Array<LedgerEntry | undefined>> {
    return Promise.all(messageIds.map(async (messageId) => (await this.entries(messageId, [0]))[0]));
  }

  async entry(messageId: string, index: number): Promise<LedgerEntry | undefined> {
    return (await this.entries(messageId, [index]))[0];
  }

  /** Applies the moves atomically per call; each result says whether it moved and from where. */
  async transition(messageId: string, ops: TransitionOp[], now = this.clock.now().getTime()): Promise<TransitionResult[]> {
    if (ops.length === 0) return [];
    const k = this.keys.messaging;
    const group = messageGroup(messageId);
    const groupKeys = group ? [k.groupCounts(group)] : [];
    let out: Array<number | string> | undefined;
    if (!this.earlier.has(messageId)) {
      const { buckets, slotOf } = bucketSlots();
      // One string, not an argument per value: see transitionPackedScript for its form.
      let payload = '';
      for (const op of ops) {
        payload += `${slotOf(op.index)}|${STATE_CODES[op.to]}${op.merge ? 'm' : ''}${op.patch ? packPatchTokens(op.patch) : '0|'}`;
      }
      const keys = [k.recipients(messageId), k.counts(messageId), ...buckets.map((bucket) => k.recipientBucket(messageId, bucket)), ...groupKeys];
      out = (await runScript(this.redis, transitionPackedScript, keys, [now, payload, buckets.length])) as Array<number | string>;
      if (Number(out[0]) === EARLIER_LAYOUT) {
        out = undefined;
        this.rememberEarlier(messageId);
      }
    }
    if (!out) {
      const payload = ops.map((op) => ({ i: op.index, to: STATE_CODES[op.to], ...(op.patch ? { patch: encodePatch(op.patch) } : {}), ...(op.merge ? { merge: true } : {}) }));
      out = (await runScript(this.redis, transitionScript, [k.recipients(messageId), k.counts(messageId), ...groupKeys], [now, JSON.stringify(payload)])) as Array<number | string>;
    }
    return results(ops, out);
  }

  /**
   * The send worker's claim: `transition` of each entry to `sending` with its `attempts` (the same
   * stored result and answers), by a script that rewrites the entries in place rather than
   * splitting them. A message in the earlier layout goes through `transition`.
   */
  async claim(messageId: string, entries: Array<{ index: number; attempts: number }>, now = this.clock.now().getTime()): Promise<TransitionResult[]> {
    if (entries.length === 0) return [];
    const ops = (): TransitionOp[] => entries.map((entry) => ({ index: entry.index, to: 'sending', patch: { attempts: entry.attempts } }));
    if (this.earlier.has(messageId)) return this.transition(messageId, ops(), now);
    const k = this.keys.messaging;
    const group = messageGroup(messageId);
    // One string per bucket, not an argument per value: see claimPackedScript for its form. The
    // script answers bucket after bucket; `positions` maps its answers back to `entries`.
    const buckets: number[] = [];
    const slots = new Map<number, number>();
    const payloads: string[] = [];
    const positions: number[][] = [];
    entries.forEach((entry, position) => {
      const bucket = Math.floor(entry.index / BUCKET_SIZE);
      let slot = slots.get(bucket);
      if (slot === undefined) {
        slot = buckets.length;
        buckets.push(bucket);
        slots.set(bucket, slot);
        payloads.push('');
        positions.push([]);
      }
      payloads[slot] += `${entry.index - bucket * BUCKET_SIZE},${packAttempts(entry.attempts)};`;
      positions[slot]?.push(position);
    });
    const keys = [k.recipients(messageId), k.counts(messageId), ...buckets.map((bucket) => k.recipientBucket(messageId, bucket)), ...(group ? [k.groupCounts(group)] : [])];
    const out = (await runScript(this.redis, claimPackedScript, keys, [now, buckets.length, ...payloads])) as string | number[];
    if (typeof out !== 'string') {
      // The earlier layout's answer.
      this.rememberEarlier(messageId);
      return this.transition(messageId, ops(), now);
    }
    // Two characters per entry: its code, then its previous state letter ('|' for none).
    const answered = new Array<TransitionResult>(entries.length);
    let at = 0;
    for (const list of positions) {
      for (const position of list) {
        const previous = out[at + 1];
        answered[position] = {
          index: entries[position]?.index ?? 0,
          code: CLAIM_CODES[out[at] ?? '-'] ?? 'missing',
          ...(previous !== undefined && previous !== '|' ? { previous: stateName(previous) as RecipientState } : {}),
        };
        at += 2;
      }
    }
    return answered;
  }

  private rememberEarlier(messageId: string): void {
    if (this.earlier.has(messageId)) return;
    if (this.earlier.size >= EARLIER_CACHE_SIZE) this.earlier.delete(this.earlier.values().next().value ?? '');
    this.earlier.add(messageId);
  }

  /** Recipients per state for one message (its send group); undefined for an unknown message. */
  async counts(messageId: string): Promise<StateCounts | undefined> {
    const raw = await this.redis.hgetall(this.keys.messaging.counts(messageId));
    if (!raw.total) return undefined;
    const counts = { total: Number(raw.total) } as StateCounts;
    for (const state of RECIPIENT_STATES) counts[state] = Number(raw[state] ?? 0);
    return counts;
  }

  /**
   * Recipients per state over every message of `group` (`messageIdFor`'s group: a broadcast), kept
   * by the same scripts that create and move the entries: one command at any size. Undefined
   * before its first message.
   */
  async groupCounts(group: string): Promise<StateCounts | undefined> {
    const raw = await this.redis.hgetall(this.keys.messaging.groupCounts(group));
    if (!raw.total) return undefined;
    const counts = { total: Number(raw.total) } as StateCounts;
    for (const state of RECIPIENT_STATES) counts[state] = Number(raw[state] ?? 0);
    return counts;
  }

  /** A page of entries in index order, optionally only those in `state`. Scans the message; fine for reports. */
  async list(messageId: string, options: { state?: RecipientState; offset?: number; limit?: number } = {}): Promise<LedgerEntry[]> {
    const meta = await this.getMeta(messageId);
    if (!meta) return [];
    const offset = options.offset ?? 0;
    const limit = options.limit ?? 100;
    const out: LedgerEntry[] = [];
    let skipped = 0;
    for (let start = 0; start < meta.total && out.length < limit; start += 500) {
      for (const entry of await this.range(messageId, start, Math.min(meta.total, start + 500))) {
        if (options.state && entry.state !== options.state) continue;
        if (skipped < offset) { skipped += 1; continue; }
        if (out.length < limit) out.push(entry);
      }
    }
    return out;
  }

  /**
   * Takes an entry out of the set of those awaiting a delivery report (its report was final). An
   * entry noted within a run of indexes stays in it; the sweeper skips entries no longer `sent`.
   */
  async stopAwaitingReport(messageId: string, index: number): Promise<void> {
    await this.redis.zrem(this.keys.messaging.awaitingReport(), `${messageId}:${index}`);
  }

  /** Message ids, newest first (each is its own send group). */
  listMessages(offset: number, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.messaging.messages(), offset, offset + limit - 1);
  }

  /** Entries flagged stale (sent, no report in time), newest first, and how many were ever flagged. */
  async listStale(limit: number): Promise<{ total: number; items: Array<{ messageId: string; index: number; flaggedAt: number }> }> {
    const k = this.keys.messaging;
    const [total, raw] = await Promise.all([this.redis.get(k.staleCount()), this.redis.zrevrange(k.stale(), 0, limit - 1, 'WITHSCORES')]);
    const items: Array<{ messageId: string; index: number; flaggedAt: number }> = [];
    for (let position = 0; position + 1 < raw.length; position += 2) {
      const member = raw[position] ?? '';
      const cut = member.lastIndexOf(':');
      items.push({ messageId: member.slice(0, cut), index: Number(member.slice(cut + 1)), flaggedAt: Number(raw[position + 1]) });
    }
    return { total: Number(total ?? 0), items };
  }

  /**
   * Remembers which entry a provider message id belongs to (for delivery reports): in the hash of
   * today's UTC day and the id's shard, kept `TTL.providerMessageIdS` after the day's last write.
   * A batch names its message by the day's short alias (one per message and day).
   */
  async indexProviderIds(messageId: string, pairs: Array<{ providerMessageId: string; index: number }>, now = this.clock.now().getTime()): Promise<void> {
    if (pairs.length === 0) return;
    const day = Math.floor(now / DAY_MS);
    // Every hash of a day expires `TTL.providerMessageIdS` after the day's end: set again by this
    // process at most every ten minutes per key (the same end each time), not on every write.
    const expiresInS = Math.ceil(((day + 1) * DAY_MS - now) / 1000) + TTL.providerMessageIdS;
    if (this.expiringDay !== day) {
      this.expiringDay = day;
      this.expiring.clear();
      this.aliases.clear();
    }
    const alias = pairs.length >= ALIAS_MIN_IDS ? await this.aliasOf(day, messageId, expiresInS) : undefined;
    const byShard = new Map<number, string[]>();
    for (const pair of pairs) {
      const shard = pidShard(pidField(pair.providerMessageId));
      const fields = byShard.get(shard) ?? [];
      if (fields.length === 0) byShard.set(shard, fields);
      fields.push(packedPidField(pair.providerMessageId), alias === undefined ? `${messageId}:${pair.index}` : `*${alias}:${pair.index.toString(36)}`);
    }
    if (!(this.redis instanceof Cluster)) {
      // On one Redis any keys may share a script: the batch's writes (and the expiries due) in one command.
      const layout: Array<string | number> = [];
      const pairs: string[] = [];
      const expire: string[] = [];
      for (const [shard, fields] of byShard) {
        layout.push(shard.toString(36), fields.length / 2);
        for (const field of fields) pairs.push(field);
        if ((this.expiring.get(shard) ?? -Infinity) > now - 600_000) continue;
        expire.push(shard.toString(36));
        this.expiring.set(shard, now);
      }
      await runScript(this.redis, indexProviderIdsScript, [], [this.keys.messaging.providerIdsPrefix(day), expiresInS, expire.join(','), layout.join(','), ...pairs]);
      return;
    }
    // One command per shard (not a pipeline): the shards live in different Cluster slots.
    await Promise.all([...byShard].map(async ([shard, fields]) => {
      const key = this.keys.messaging.providerIds(day, shard);
      await this.redis.hset(key, ...fields);
      if ((this.expiring.get(shard) ?? -Infinity) > now - 600_000) return;
      await this.redis.expire(key, expiresInS);
      this.expiring.set(shard, now);
    }));
  }

  private async aliasOf(day: number, messageId: string, expiresInS: number): Promise<string> {
    const known = this.aliases.get(messageId);
    if (known !== undefined) return known;
    const alias = String(await runScript(this.redis, providerIdAliasScript, [this.keys.messaging.providerIdAliases(day)], [messageId, expiresInS]));
    if (this.aliases.size >= ALIAS_CACHE_SIZE) this.aliases.delete(this.aliases.keys().next().value ?? '');
    this.aliases.set(messageId, alias);
    return alias;
  }

  /** The message an alias of `day` names (undefined once the day's aliases have expired). */
  private async aliasedMessage(day: number, alias: string): Promise<string | undefined> {
    const key = `${day}:${alias}`;
    const known = this.aliased.get(key);
    if (known !== undefined) return known;
    const messageId = await this.redis.hget(this.keys.messaging.providerIdAliases(day), `a:${alias}`);
    if (messageId === null) return undefined;
    if (this.aliased.size >= ALIAS_CACHE_SIZE) this.aliased.delete(this.aliased.keys().next().value ?? '');
    this.aliased.set(key, messageId);
    return messageId;
  }

  /** The entry a provider message id belongs to: today's hash first, then each earlier day's while ids are kept. */
  async findByProviderId(providerMessageId: string, now = this.clock.now().getTime()): Promise<{ messageId: string; index: number } | undefined> {
    const field = pidField(providerMessageId);
    const packed = packedPidField(providerMessageId);
    const shard = pidShard(field);
    const today = Math.floor(now / DAY_MS);
    // The field as written now, and as written before (ids recorded by the earlier code).
    const read = async (day: number): Promise<{ day: number; raw: string } | undefined> => {
      const [current, earlier] = await this.redis.hmget(this.keys.messaging.providerIds(day, shard), packed, field);
      const raw = current ?? earlier;
      return raw === null || raw === undefined ? undefined : { day, raw };
    };
    // Most reports come the day their message left: today alone first, then the earlier days at once.
    const earlierDays = Array.from({ length: Math.ceil(TTL.providerMessageIdS / (DAY_MS / 1000)) + 1 }, (_, back) => today - 1 - back);
    const found = (await read(today)) ?? (await Promise.all(earlierDays.map(read))).find((value) => value !== undefined);
    if (found?.raw.startsWith('*')) {
      const cut = found.raw.lastIndexOf(':');
      const messageId = await this.aliasedMessage(found.day, found.raw.slice(1, cut));
      return messageId === undefined ? undefined : { messageId, index: parseInt(found.raw.slice(cut + 1), 36) };
    }
    // Ids recorded before the daily hashes, one key each, until they expire.
    const raw = found?.raw ?? (await this.redis.get(this.keys.messaging.legacyProviderMessageId(providerMessageId)));
    if (!raw) return undefined;
    const cut = raw.lastIndexOf(':');
    return { messageId: raw.slice(0, cut), index: Number(raw.slice(cut + 1)) };
  }

  /**
   * Notes entries that reached `sent` at `now` and await a final report: one member per run of
   * consecutive indexes (`<messageId>:<first>-<last>`, or `<messageId>:<index>` for one), so a
   * broadcast batch costs one member. The sweeper flags those still `sent` after the stale age.
   */
  async awaitReports(messageId: string, indexes: number[], now = this.clock.now().getTime()): Promise<void> {
    if (indexes.length === 0) return;
    const sorted = [...indexes].sort((a, b) => a - b);
    const members: Array<string | number> = [];
    for (let position = 0; position < sorted.length;) {
      const first = sorted[position] ?? 0;
      let last = first;
      while (position + 1 < sorted.length && sorted[position + 1] === last + 1) last = sorted[++position] ?? last;
      position += 1;
      members.push(now, last === first ? `${messageId}:${first}` : `${messageId}:${first}-${last}`);
    }
    await this.redis.zadd(this.keys.messaging.awaitingReport(), ...members);
  }

  /**
   * `transition` for a provider call's accepted recipients: every op moves its entry to `sent`
   * with merge, its patch at most the provider id, status code, cost, parts and route. The usual
   * entry (`sending`, phone and attempts) moves in one lighter script; the ops it leaves (any other
   * entry, and every later op on such an entry) then take `transition`, so the stored entries,
   * counts and results are those of `transition`. Any other op, or a message in the earlier
   * layout, takes `transition` for the whole call.
   */
  async recordSent(messageId: string, ops: TransitionOp[], now = this.clock.now().getTime()): Promise<TransitionResult[]> {
    if (ops.length === 0) return [];
    if (this.earlier.has(messageId)) return this.transition(messageId, ops, now);
    const { buckets, slotOf } = bucketSlots();
    // One string, not an argument per value: see recordSentScript for its form.
    let payload = '';
    for (const op of ops) {
      const values = op.to === 'sent' && op.merge === true && Number.isSafeInteger(op.index) ? packSentValues(op.patch) : undefined;
      if (values === undefined) return this.transition(messageId, ops, now);
      payload += `${slotOf(op.index)}|${Buffer.byteLength(values)}|${values}`;
    }
    const k = this.keys.messaging;
    const group = messageGroup(messageId);
    const keys = [k.recipients(messageId), k.counts(messageId), ...buckets.map((bucket) => k.recipientBucket(messageId, bucket)), ...(group ? [k.groupCounts(group)] : [])];
    const answers = (await runScript(this.redis, recordSentScript, keys, [now, buckets.length, payload])) as string | number[];
    if (typeof answers !== 'string') {
      // The earlier layout's answer.
      this.rememberEarlier(messageId);
      return this.transition(messageId, ops, now);
    }
    // One character per op: '1' moved from sending, 'd' left to the general move (in their order).
    const left = ops.filter((_, position) => answers[position] !== '1');
    const rest = left.length > 0 ? await this.transition(messageId, left, now) : [];
    let next = 0;
    return ops.map((op, position): TransitionResult => (answers[position] === '1' ? { index: op.index, code: 'moved', previous: 'sending' } : (rest[next++] as TransitionResult)));
  }

  /**
   * Adds the message to its pack's index and drops ids whose ledger has expired: the sweeper trims
   * only the gateway-wide index, and knows no packs. A pack that stops sending loses its index
   * when its last message's ledger expires.
   */
  private async indexForPack(packId: string, createdAt: number, messageIds: string[], scores: number[] = messageIds.map(() => createdAt)): Promise<void> {
    const key = this.keys.messaging.packMessages(packId);
    const replies = await this.redis.multi()
      .zadd(key, ...messageIds.flatMap((messageId, n) => [scores[n] ?? createdAt, messageId]))
      .zremrangebyscore(key, '-inf', createdAt - TTL.ledgerS * 1000)
      .expire(key, TTL.ledgerS)
      .exec();
    const failed = replies?.find(([error]) => error)?.[0];
    if (failed) throw failed;
  }

  /** The message ids of one pack, newest first; messages sent for no pack are in no pack's list. */
  listPackMessages(packId: string, offset: number, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.messaging.packMessages(packId), offset, offset + limit - 1);
  }
}
