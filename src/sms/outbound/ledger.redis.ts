/**
 * The per-recipient ledger: one entry per (message, recipient) in Redis, moved forward only by the
 * Lua scripts in `ledger-scripts.ts`, with per-state counts that always add up to the total.
 */
import { TTL, type Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import { systemClock, type Clock } from '../../kernel/clock';
import { createMessageScript, transitionScript } from './ledger-scripts';
import { runScript } from '../../infra/redis/lua';
import { RECIPIENT_STATES, type LedgerEntry, type MessageMeta, type RecipientState, type StateCounts } from './types';

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

const CODES: Record<string, TransitionCode> = { '1': 'moved', '2': 'repeated', '0': 'refused', '-1': 'missing' };

function parseEntry(index: number, raw: string | null | undefined): LedgerEntry | undefined {
  if (!raw) return undefined;
  const stored = JSON.parse(raw) as Omit<LedgerEntry, 'index'>;
  return { ...stored, index };
}

export class Ledger {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Creates the message and its entries in one step. Returns false (and changes nothing) when it exists. */
  async create(meta: MessageMeta, recipients: NewRecipient[]): Promise<boolean> {
    const k = this.keys.messaging;
    const args: Array<string | number> = [TTL.ledgerS, JSON.stringify(meta)];
    for (const recipient of recipients) {
      const entry: Omit<LedgerEntry, 'index'> = { phone: recipient.phone, state: recipient.state, updatedAt: meta.createdAt, attempts: 0 };
      if (recipient.reason) entry.reason = recipient.reason;
      args.push(recipient.state, JSON.stringify(entry));
    }
    const created = await runScript(this.redis, createMessageScript, [k.meta(meta.messageId), k.recipients(meta.messageId), k.counts(meta.messageId)], args);
    if (created !== 1) return false;
    await this.redis.zadd(k.messages(), meta.createdAt, meta.messageId);
    if (meta.packId) await this.indexForPack(meta.packId, meta.createdAt, meta.messageId);
    return true;
  }

  /**
   * Puts a message in the open set, before it is created: the sweeper adds the batch jobs of an
   * open message again while recipients are queued (its enqueue may have died before adding them),
   * and drops it once none are.
   */
  async markOpen(messageId: string, createdAt: number): Promise<void> {
    await this.redis.zadd(this.keys.messaging.open(), createdAt, messageId);
  }

  async getMeta(messageId: string): Promise<MessageMeta | undefined> {
    const raw = await this.redis.hget(this.keys.messaging.meta(messageId), 'json');
    return raw ? (JSON.parse(raw) as MessageMeta) : undefined;
  }

  /** Entries at `indexes`, in order; undefined where there is none. */
  async entries(messageId: string, indexes: number[]): Promise<Array<LedgerEntry | undefined>> {
    if (indexes.length === 0) return [];
    const raws = await this.redis.hmget(this.keys.messaging.recipients(messageId), ...indexes.map(String));
    return indexes.map((index, position) => parseEntry(index, raws[position]));
  }

  /** Entries with index in [start, end). */
  async range(messageId: string, start: number, end: number): Promise<LedgerEntry[]> {
    const indexes = Array.from({ length: Math.max(0, end - start) }, (_, offset) => start + offset);
    return (await this.entries(messageId, indexes)).filter((entry): entry is LedgerEntry => entry !== undefined);
  }

  async entry(messageId: string, index: number): Promise<LedgerEntry | undefined> {
    return (await this.entries(messageId, [index]))[0];
  }

  /** Applies the moves atomically per call; each result says whether it moved and from where. */
  async transition(messageId: string, ops: TransitionOp[], now = this.clock.now().getTime()): Promise<TransitionResult[]> {
    if (ops.length === 0) return [];
    const k = this.keys.messaging;
    const payload = ops.map((op) => ({ i: op.index, to: op.to, ...(op.patch ? { patch: op.patch } : {}), ...(op.merge ? { merge: true } : {}) }));
    const out = (await runScript(this.redis, transitionScript, [k.recipients(messageId), k.counts(messageId)], [now, JSON.stringify(payload)])) as Array<number | string>;
    return ops.map((op, position) => {
      const previous = out[position * 2 + 1];
      return {
        index: op.index,
        code: CODES[String(out[position * 2])] ?? 'missing',
        ...(typeof previous === 'string' && previous !== '' ? { previous: previous as RecipientState } : {}),
      };
    });
  }

  /** Recipients per state for one message (its send group); undefined for an unknown message. */
  async counts(messageId: string): Promise<StateCounts | undefined> {
    const raw = await this.redis.hgetall(this.keys.messaging.counts(messageId));
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

  /** Takes an entry out of the set of those awaiting a delivery report (its report was final). */
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

  /** Remembers which entry a provider message id belongs to (for delivery reports). */
  async indexProviderIds(messageId: string, pairs: Array<{ providerMessageId: string; index: number }>): Promise<void> {
    if (pairs.length === 0) return;
    // One command per id (not a pipeline): the keys live in different Cluster slots.
    await Promise.all(pairs.map((pair) =>
      this.redis.set(this.keys.messaging.providerMessageId(pair.providerMessageId), `${messageId}:${pair.index}`, 'EX', TTL.providerMessageIdS)));
  }

  async findByProviderId(providerMessageId: string): Promise<{ messageId: string; index: number } | undefined> {
    const raw = await this.redis.get(this.keys.messaging.providerMessageId(providerMessageId));
    if (!raw) return undefined;
    const cut = raw.lastIndexOf(':');
    return { messageId: raw.slice(0, cut), index: Number(raw.slice(cut + 1)) };
  }

  /**
   * Adds the message to its pack's index and drops ids whose ledger has expired: the sweeper trims
   * only the gateway-wide index, and knows no packs. A pack that stops sending loses its index
   * when its last message's ledger expires.
   */
  private async indexForPack(packId: string, createdAt: number, messageId: string): Promise<void> {
    const key = this.keys.messaging.packMessages(packId);
    const replies = await this.redis.multi()
      .zadd(key, createdAt, messageId)
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
