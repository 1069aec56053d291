/**
 * `OutboundMessages` on the ledger and the BullMQ lanes. Enqueueing decides who is skipped (invalid
 * number, duplicate, opted out, per-phone cap, daily budget), records every recipient in the
 * ledger, then queues batch jobs that carry only the message id and an index range.
 */
import { createHash } from 'node:crypto';
import { countryCallingCode, normalisePhone } from '../../kernel/phone';
import { systemClock, type Clock } from '../../kernel/clock';
import type { EnqueueResult, MessagePurpose, OutboundMessages, OutboundRequest, SkipReason } from './outbound-port';
import { measureSms } from '../../kernel/text/gsm';
import { cleanMultiline } from '../../kernel/text/clean';
import type { ContentGuard } from './content-guard.redis';
import type { CostGuard } from './cost-guard.redis';
import type { Ledger, NewRecipient } from './ledger.redis';
import type { MessagingMetrics } from './messaging-metrics';
import { addBatchJobs, batchJobId, sendJobOptions, type RetrySettings, type SendQueues } from './queues.bullmq';
import type { SuppressionList } from './suppression.redis';
import { laneOf, type MessageMeta, type StateCounts } from './types';
import { errorWithCode } from '../../kernel/errors';

/** The same text to many people: one message, one ledger entry per recipient, sent in batches. */
export interface BroadcastRequest {
  /** Same key, same message: a second call changes nothing and returns the first message. */
  idempotencyKey: string;
  text: string;
  /** Default `broadcast`. */
  purpose?: MessagePurpose;
  to: string[];
  /** Sender id; the configured default when absent. */
  from?: string;
  /** The pack the broadcast belongs to, as `OutboundRequest.packId`. */
  packId?: string;
  /** How long from now it may still go out, as `OutboundRequest.validForMs`. */
  validForMs?: number;
  /** The organiser insists: the content guard does not apply. */
  force?: boolean;
  /** Counts the message in this group's counts too (`messageIdFor`). */
  group?: string;
}

export type BroadcastResult =
  | { messageId: string; state: 'queued'; counts: StateCounts }
  | { messageId: string; state: 'skipped'; reason: 'budget_exhausted' | 'no_recipients'; counts: StateCounts };

export interface OutboundPipeline extends OutboundMessages {
  /** Records and queues a broadcast. Resolves once every recipient is durably queued or skipped. */
  enqueueMany(request: BroadcastRequest): Promise<BroadcastResult>;
  /**
   * Records and queues many single messages (one text each, e.g. a personalised broadcast) as
   * `enqueue` does one by one, with batched Redis work: one result per request, in order. Keys
   * already used return their first message (and re-add its job when still queued).
   */
  enqueueEach(requests: OutboundRequest[]): Promise<EnqueueResult[]>;
  /** Recipients per state over every message of `group` (see `messageIdFor`), in one read; undefined before any. */
  groupCounts(group: string): Promise<StateCounts | undefined>;
}

export interface PipelineDeps {
  ledger: Ledger;
  suppression: SuppressionList;
  costGuard: CostGuard;
  /** The same text to the same phone, bounded (broadcasts and reminders); absent: no guard. */
  contentGuard?: ContentGuard;
  queues: SendQueues;
  metrics: MessagingMetrics;
  settings: RetrySettings & { batchSize: number; defaultSenderId: string | undefined };
  /** Stamps `createdAt`; the system clock when absent. */
  clock?: Clock;
}

/** Phones per content-guard call of a broadcast message (see applyValidityAndContent). */
const GUARD_SLICE = 250;

/** Recipients of one message at most. */
export const MAX_RECIPIENTS = 50_000;

/** Thrown by `enqueueMany` for a message over `MAX_RECIPIENTS`; nothing was recorded. */
export class TooManyRecipientsError extends errorWithCode('SMS.TOO_MANY_RECIPIENTS') {}

/** The message id an idempotency key always maps to. */
/** BullMQ priority of plain replies (confirmations carry none, so they go first). */
export const REPLY_JOB_PRIORITY = 10;

/**
 * The message id an idempotency key always maps to. With `group` (letters and digits), the id is
 * `<group>~<id>`: the message's ledger shares the group's Redis slot and its scripts keep the
 * group's counts (a broadcast's progress in one read).
 */
export function messageIdFor(idempotencyKey: string, group?: string): string {
  const id = `m${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 31)}`;
  return group ? `${group}~${id}` : id;
}

export function createOutboundPipeline(deps: PipelineDeps): OutboundPipeline {
  const { ledger, suppression, costGuard, metrics, settings } = deps;
  const now = (): number => (deps.clock ?? systemClock).now().getTime();

  /**
   * Within the priority lane, plain replies wait behind confirmations: BullMQ serves jobs without a
   * priority first, so a registrant's confirmation (and an opt-out's) never queues behind a flood
   * of replies to other numbers.
   */
  function jobOptions(purpose: MessagePurpose): ReturnType<typeof sendJobOptions> {
    return purpose === 'reply' ? { ...sendJobOptions(settings), priority: REPLY_JOB_PRIORITY } : sendJobOptions(settings);
  }

  async function record(meta: MessageMeta, recipients: NewRecipient[]): Promise<boolean> {
    // In the open set first: if we die before the jobs are added, the sweeper finds and queues it.
    await ledger.markOpen(meta.messageId, meta.createdAt);
    if (!(await ledger.create(meta, recipients))) return false;
    for (const recipient of recipients) if (recipient.state === 'skipped') metrics.entered('skipped');
    const queued = recipients.map((recipient) => recipient.state === 'queued');
    await addBatchJobs(deps.queues[laneOf(meta.purpose)], meta.messageId, meta.total, meta.batchSize,
      (start, end) => queued.slice(start, end).some(Boolean), jobOptions(meta.purpose));
    return true;
  }

  /**
   * A repeated enqueue of a message that still has queued recipients adds its batch jobs again:
   * the first run may have died between the ledger write and the jobs. Job ids are deterministic,
   * so this is a no-op when they exist, and a batch with nothing queued left does nothing.
   */
  async function requeue(messageId: string): Promise<void> {
    const meta = await ledger.getMeta(messageId);
    if (meta) await addBatchJobs(deps.queues[laneOf(meta.purpose)], messageId, meta.total, meta.batchSize, () => true, jobOptions(meta.purpose));
  }

  async function existingSingle(messageId: string): Promise<EnqueueResult | undefined> {
    const entry = await ledger.entry(messageId, 0);
    if (!entry) return undefined;
    if (entry.state === 'queued') await requeue(messageId);
    if (entry.state === 'skipped') return { messageId, state: 'skipped', reason: (entry.reason ?? 'duplicate') as SkipReason };
    return { messageId, state: 'queued' };
  }

  /**
   * The caps of an inbound-triggered request (per phone, then replies across the gateway and to
   * unknown numbers), once it is valid and not opted out. One request at a time: each counts
   * against the caps the next one meets.
   */
  async function inboundCapReason(request: OutboundRequest, phone: string): Promise<SkipReason | undefined> {
    if (!(await costGuard.allowInboundTriggered(phone))) {
      if (request.capNotice && (await costGuard.firstCapNotice(phone))) await tellCapReached(phone, request);
      return 'rate_capped';
    }
    // Unknown numbers are counted per network and country (AT's network code names the country).
    const network = request.unknownSender ? `${countryCallingCode(phone)}:${request.unknownSender.network || 'none'}` : undefined;
    const refused = await costGuard.allowReply(network);
    if (refused) {
      metrics.capped(refused);
      return refused;
    }
    return undefined;
  }

  /** The one notice a capped phone gets per cap window: outside the caps it announces. */
  async function tellCapReached(phone: string, request: OutboundRequest): Promise<void> {
    const window = Math.floor(now() / 3_600_000);
    await enqueueOne({ to: phone, text: request.capNotice ?? '', purpose: 'reply', idempotencyKey: `cap-notice|${phone}|${window}`, ...(request.packId ? { packId: request.packId } : {}) });
  }

  /** One message: `enqueueEach` with one request, so the checks and their order are written once. */
  async function enqueueOne(request: OutboundRequest): Promise<EnqueueResult> {
    return (await enqueueEach([request]))[0] as EnqueueResult;
  }

  /**
   * Records and queues single messages. The checks, in order: a key already used returns its
   * message; the number (invalid), validity (expired), opt-out, the caps of inbound-triggered
   * requests (one at a time), the content guard, the daily budget. Each is done once for the
   * whole batch where it can be; the ledger entries are written concurrently (each message is
   * its own Cluster slot) and the jobs added with one addBulk per lane.
   */
  async function enqueueEach(originals: OutboundRequest[]): Promise<EnqueueResult[]> {
    const results: Array<EnqueueResult | undefined> = new Array(originals.length);
    // Whatever the caller filled in, no control or direction character goes out in an SMS.
    const requests = originals.map((original) => ({ ...original, text: cleanMultiline(original.text) }));
    const ids = requests.map((request) => messageIdFor(request.idempotencyKey, request.group));
    // A key seen earlier in the same batch is the same message: answered from the first.
    const firstOf = new Map<string, number>();
    const fresh: number[] = [];
    const firsts = await ledger.firstEntries(ids);
    await Promise.all(requests.map(async (_request, position) => {
      const messageId = ids[position] ?? '';
      const entry = firsts[position];
      if (entry) {
        if (entry.state === 'queued') await requeue(messageId);
        results[position] = entry.state === 'skipped' ? { messageId, state: 'skipped', reason: (entry.reason ?? 'duplicate') as SkipReason } : { messageId, state: 'queued' };
      }
    }));
    requests.forEach((_request, position) => {
      if (results[position]) return;
      const messageId = ids[position] ?? '';
      if (firstOf.has(messageId)) return;
      firstOf.set(messageId, position);
      fresh.push(position);
    });
    const phones = new Map<number, string>();
    const reasons = new Map<number, SkipReason>();
    for (const position of fresh) {
      const request = requests[position] as OutboundRequest;
      const normalised = normalisePhone(request.to);
      phones.set(position, normalised.ok ? normalised.e164 : String(request.to).slice(0, 40));
      if (!normalised.ok) reasons.set(position, 'invalid_number');
      else if (request.validForMs !== undefined && request.validForMs <= 0) reasons.set(position, 'expired');
    }
    const open = (): number[] => fresh.filter((position) => !reasons.has(position));
    const optedOut = await suppression.suppressedAmong([...new Set(open().filter((position) => requests[position]?.purpose !== 'optout_confirmation').map((position) => phones.get(position) ?? ''))], settings.defaultSenderId);
    for (const position of open()) if (requests[position]?.purpose !== 'optout_confirmation' && optedOut.has(phones.get(position) ?? '')) reasons.set(position, 'opted_out');
    for (const position of open()) {
      const request = requests[position] as OutboundRequest;
      if (!request.inboundTriggered) continue;
      const reason = await inboundCapReason(request, phones.get(position) ?? '');
      if (reason) reasons.set(position, reason);
    }
    if (deps.contentGuard) {
      const byText = new Map<string, number[]>();
      for (const position of open()) {
        const request = requests[position] as OutboundRequest;
        if (laneOf(request.purpose) !== 'bulk' || request.force) continue;
        const group = byText.get(request.text) ?? [];
        if (group.length === 0) byText.set(request.text, group);
        group.push(position);
      }
      const guard = deps.contentGuard;
      await Promise.all([...byText].map(async ([text, positions]) => {
        const over = await guard.overCap(positions.map((position) => phones.get(position) ?? ''), text);
        if (over.size === 0) return;
        // One phone twice with one text (two keys) is counted twice; when over, both are skipped (never a repeat sent).
        for (const position of positions) if (over.has(phones.get(position) ?? '')) reasons.set(position, 'repeated_content');
      }));
    }
    // The budget: reserved for the whole batch at once; when that is refused, one by one (in order).
    const segmentsOf = new Map(open().map((position) => [position, measureSms(requests[position]?.text ?? '').segments]));
    const reserve = async (positions: number[], bulk: boolean): Promise<void> => {
      if (positions.length === 0) return;
      if (await costGuard.reserveSegments(positions.reduce((total, position) => total + (segmentsOf.get(position) ?? 1), 0), bulk)) return;
      if (positions.length === 1) reasons.set(positions[0] as number, 'budget_exhausted');
      else for (const position of positions) if (!(await costGuard.reserveSegments(segmentsOf.get(position) ?? 1, bulk))) reasons.set(position, 'budget_exhausted');
    };
    const needs = open();
    await reserve(needs.filter((position) => laneOf(requests[position]?.purpose ?? 'broadcast') !== 'bulk'), false);
    await reserve(needs.filter((position) => laneOf(requests[position]?.purpose ?? 'broadcast') === 'bulk'), true);
    const createdAt = now();
    const items = fresh.map((position) => {
      const request = requests[position] as OutboundRequest;
      const reason = reasons.get(position);
      const meta: MessageMeta = {
        messageId: ids[position] ?? '', kind: 'single', purpose: request.purpose, text: request.text, total: 1, segments: segmentsOf.get(position) ?? measureSms(request.text).segments, batchSize: 1, createdAt,
        ...(request.packId ? { packId: request.packId } : {}), ...(request.validForMs !== undefined ? { expiresAt: createdAt + request.validForMs } : {}),
      };
      const phone = phones.get(position) ?? '';
      return { position, meta, recipients: [reason ? { phone, state: 'skipped' as const, reason } : { phone, state: 'queued' as const }] };
    });
    // In the open set first: if we die before the jobs are added, the sweeper finds and queues them.
    await ledger.markOpenMany(items.map((item) => ({ messageId: item.meta.messageId, createdAt })));
    const created = await ledger.createMany(items);
    const jobs = new Map<MessagePurpose, string[]>();
    items.forEach((item, n) => {
      const reason = reasons.get(item.position);
      if (!created[n]) return;
      if (reason) {
        metrics.entered('skipped');
        results[item.position] = { messageId: item.meta.messageId, state: 'skipped', reason };
        return;
      }
      const list = jobs.get(item.meta.purpose) ?? [];
      if (list.length === 0) jobs.set(item.meta.purpose, list);
      list.push(item.meta.messageId);
      results[item.position] = { messageId: item.meta.messageId, state: 'queued' };
    });
    await Promise.all([...jobs].map(([purpose, messageIds]) => deps.queues[laneOf(purpose)].addBulk(messageIds.map((messageId) => (
      { name: 'send', data: { messageId, start: 0, end: 1 }, opts: { ...jobOptions(purpose), jobId: batchJobId(messageId, 0) } })))));
    // Repeated keys answer as their first; a message created meanwhile by another run answers as it stands.
    for (let position = 0; position < requests.length; position += 1) {
      if (results[position]) continue;
      const messageId = ids[position] ?? '';
      const first = firstOf.get(messageId);
      results[position] = first !== undefined && first !== position && results[first] ? results[first] : (await existingSingle(messageId)) ?? { messageId, state: 'queued' };
    }
    return results as EnqueueResult[];
  }

  return {
    enqueue: enqueueOne,
    enqueueEach,
    groupCounts: (group) => ledger.groupCounts(group),

    async enqueueMany(original) {
      const request = { ...original, text: cleanMultiline(original.text) };
      const messageId = messageIdFor(request.idempotencyKey, request.group);
      const purpose = request.purpose ?? 'broadcast';
      const earlier = await ledger.counts(messageId);
      if (earlier) {
        if (earlier.queued > 0) await requeue(messageId);
        return describeEarlier(messageId, earlier);
      }
      // One message is written by one Lua call (its entries in one argument, or one argument each
      // when a free-text number holds a newline): keep it far below the ~120,000 arguments a call
      // can spread, and Redis unblocked (broadcasts send in waves).
      if (request.to.length > MAX_RECIPIENTS) throw new TooManyRecipientsError(`${request.to.length} recipients in one message; at most ${MAX_RECIPIENTS}: split it into several.`);
      const from = request.from ?? settings.defaultSenderId;
      const recipients = await classify(request.to, purpose, from);
      await applyValidityAndContent(recipients, request, purpose);
      const segments = measureSms(request.text).segments;
      const queuedCount = recipients.filter((recipient) => recipient.state === 'queued').length;
      const withinBudget = queuedCount === 0 || (await costGuard.reserveSegments(queuedCount * segments, laneOf(purpose) === 'bulk'));
      if (!withinBudget) for (const recipient of recipients) if (recipient.state === 'queued') Object.assign(recipient, { state: 'skipped', reason: 'budget_exhausted' });
      const createdAt = now();
      const meta: MessageMeta = {
        messageId, kind: 'broadcast', purpose, text: request.text, total: recipients.length, segments,
        batchSize: settings.batchSize, createdAt, ...(request.from ? { from: request.from } : {}),
        ...(request.packId ? { packId: request.packId } : {}), ...(request.validForMs !== undefined ? { expiresAt: createdAt + request.validForMs } : {}),
      };
      if (recipients.length > 0) await record(meta, recipients);
      const counts = (await ledger.counts(messageId)) ?? emptyCounts();
      if (!withinBudget) return { messageId, state: 'skipped', reason: 'budget_exhausted', counts };
      if (queuedCount === 0) return { messageId, state: 'skipped', reason: 'no_recipients', counts };
      return { messageId, state: 'queued', counts };
    },
  };

  async function describeEarlier(messageId: string, counts: StateCounts): Promise<BroadcastResult> {
    if (counts.skipped < counts.total) return { messageId, state: 'queued', counts };
    const first = await ledger.entry(messageId, 0);
    return { messageId, state: 'skipped', reason: first?.reason === 'budget_exhausted' ? 'budget_exhausted' : 'no_recipients', counts };
  }

  /** Past its validity: everyone still queued is skipped `expired`; else the content guard (unless forced) skips repeats. */
  async function applyValidityAndContent(recipients: NewRecipient[], request: BroadcastRequest, purpose: MessagePurpose): Promise<void> {
    const queued = recipients.filter((recipient) => recipient.state === 'queued');
    if (request.validForMs !== undefined && request.validForMs <= 0) {
      for (const recipient of queued) Object.assign(recipient, { state: 'skipped', reason: 'expired' });
      return;
    }
    if (!deps.contentGuard || request.force || laneOf(purpose) !== 'bulk') return;
    // GUARD_SLICE phones per call, one call after the other: each is one script, during which Redis
    // serves nobody else (the send worker's calls above all), so it is kept short.
    const guard = deps.contentGuard;
    const phones = queued.map((recipient) => recipient.phone);
    const repeated = new Set<string>();
    for (let start = 0; start < phones.length; start += GUARD_SLICE) for (const phone of await guard.overCap(phones.slice(start, start + GUARD_SLICE), request.text)) repeated.add(phone);
    for (const recipient of queued) if (repeated.has(recipient.phone)) Object.assign(recipient, { state: 'skipped', reason: 'repeated_content' });
  }

  /** Normalises, removes duplicates and opted-out numbers; the order of `to` is kept. */
  async function classify(to: string[], purpose: MessagePurpose, from: string | undefined): Promise<NewRecipient[]> {
    const seen = new Set<string>();
    const recipients: NewRecipient[] = to.map((raw) => {
      const normalised = normalisePhone(raw);
      if (!normalised.ok) return { phone: String(raw).slice(0, 40), state: 'skipped', reason: 'invalid_number' };
      if (seen.has(normalised.e164)) return { phone: normalised.e164, state: 'skipped', reason: 'duplicate' };
      seen.add(normalised.e164);
      return { phone: normalised.e164, state: 'queued' };
    });
    if (purpose === 'optout_confirmation') return recipients;
    const suppressed = await suppression.suppressedAmong([...seen], from);
    for (const recipient of recipients) {
      if (recipient.state === 'queued' && suppressed.has(recipient.phone)) Object.assign(recipient, { state: 'skipped', reason: 'opted_out' });
    }
    return recipients;
  }
}

function emptyCounts(): StateCounts {
  return { total: 0, queued: 0, sending: 0, sent: 0, delivered: 0, failed: 0, skipped: 0, uncertain: 0 };
}
