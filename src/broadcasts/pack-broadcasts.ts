/**
 * The broadcasts of one pack, as a story: resolve the audience once and freeze it, hold it for
 * quiet hours, then fan it out in waves (one deterministic job per wave, each recipient with a
 * deterministic idempotency key), so a repeated create or a fan-out that died half way queues
 * each recipient once. Pause stops the next wave; cancel also counts what never left as
 * cancelled. It sees, and acts on, that pack's broadcasts only.
 */
import { randomUUID } from 'node:crypto';
import { LANGUAGES, type Language } from '../kernel/language';
import { AppError } from '../kernel/errors';
import { normalisePhone } from '../kernel/phone';
import { messageIdFor } from '../sms/outbound/outbound-pipeline';
import type { BroadcastDraft, BroadcastRecipientState, BroadcastService, BroadcastStatus } from './broadcast-types';
import { RECIPIENT_STATES } from '../sms/outbound/types';
import type { BroadcastDeps } from './broadcast-service';
import { resolveAudience, resolveRecipients } from './audience';
import { emptyCounts, statusOf, sumGroups } from './broadcast-progress';
import { PERSONAL_BATCH, waveJobId, type Fanout } from './broadcast-fanout.bullmq';
import type { OutboundRequest } from '../sms/outbound/outbound-port';
import { buildPreview } from './broadcast-preview';
import { buildReport, buildReportCsv } from './broadcast-report';
import type { BroadcastMeta, BroadcastRecord, BroadcastStore } from './broadcasts.redis';
import { renderFor, sessionPlaceholder, textFor } from './render';
import { createOnce, type CreationTiming } from './create-once';
import { describeBroadcast, validateDraft } from './broadcast-draft';

/** What every pack's service shares: the module's dependencies, store, fan-out and wave size. */
export interface PackBroadcastsContext {
  deps: BroadcastDeps;
  store: BroadcastStore;
  fanout: Fanout;
  waveSize: number;
  /** The creation lease and wait of identical concurrent creates; `CREATION_TIMING` when absent. */
  creation?: CreationTiming;
}

/** The broadcast service of pack `packId`. */
export function createPackBroadcasts(packId: string, { deps, store, fanout, waveSize, creation }: PackBroadcastsContext): BroadcastService {
  const { scheduleWave } = fanout;
  async function sessionLabel(draft: BroadcastDraft, lang: Language): Promise<string> {
    const code = draft.audience.sessions?.[0];
    if (!code) return '';
    return sessionPlaceholder(await deps.agenda.get(packId), code, lang);
  }

  const audienceDeps = () => ({ ...deps, defaultLanguage: deps.settings.defaultLanguage, senderId: deps.settings.senderId });
  /** Who `draft` reaches, each with their whole delegate record (for a preview). */
  async function audience(draft: BroadcastDraft) {
    return resolveAudience(packId, draft.audience, audienceDeps());
  }

  /** The pack's broadcast `id`; another pack's broadcast is not found here. */
  async function mine(id: string): Promise<BroadcastRecord | null> {
    const record = await store.get(id);
    return record && record.packId === packId ? record : null;
  }

  async function recordOf(id: string): Promise<BroadcastRecord> {
    const record = await mine(id);
    if (!record) throw new AppError('BROADCAST.NOT_FOUND', `No broadcast ${id}.`);
    return record;
  }

  /** Resolves and freezes the audience and writes the record with its first state. */
  async function writeRecord(id: string, draft: BroadcastDraft, now: Date): Promise<BroadcastMeta> {
    // Freezing needs each recipient's phone and language only: the delegate store's lighter read.
    const resolved = await resolveRecipients(packId, draft.audience, audienceDeps());
    const session = await sessionLabel(draft, deps.settings.defaultLanguage);
    const meta: BroadcastMeta = { ...describeBroadcast(draft, { id, packId, members: resolved.members, now, waveSize, session, settings: deps.settings }), ...(deps.outbound.groupCounts ? { counted: true as const } : {}) };
    const initial = meta.waves > 0 ? { state: 'scheduled' as const } : { state: 'sending' as const, startedAt: now.toISOString() };
    await store.create(meta, resolved.members.map((m) => ({ p: m.phone, l: m.lang })), initial);
    return meta;
  }

  /**
   * Creates broadcast `id` (or finishes one a dead creator wrote): the record in one step, then
   * its first wave by its one job id, so a takeover can never queue it twice; then it is ready.
   */
  async function write(id: string, draft: BroadcastDraft, written: BroadcastRecord | null): Promise<BroadcastRecord> {
    const now = deps.clock.now();
    const meta = written ?? await writeRecord(id, draft, now);
    if (written) await store.index(written);
    if (meta.waves > 0) await scheduleWave(id, 0, new Date(meta.sendAt).getTime() - now.getTime());
    await store.ready(id);
    deps.logger.info({ broadcast: id, total: meta.total, sendAt: meta.sendAt, ...(written ? { takenOver: true } : {}) }, 'broadcast created');
    return recordOf(id);
  }

  async function status(record: BroadcastRecord): Promise<BroadcastStatus> {
    return statusOf(record, await ledgerCounts(record), deps.clock.now().getTime());
  }

  /** A counted broadcast's counts are one read, whatever its size; an earlier one's, the sum of its groups. */
  async function ledgerCounts(record: BroadcastRecord): Promise<Record<BroadcastRecipientState, number>> {
    if (!record.counted || !deps.outbound.groupCounts) return sumGroups(deps.ledger, await store.groups(record.id));
    const counts = emptyCounts();
    const group = await deps.outbound.groupCounts(record.id);
    if (group) for (const state of RECIPIENT_STATES) counts[state] = group[state];
    return counts;
  }

  return {
    async preview(draft) {
      validateDraft(draft);
      return buildPreview(draft, await audience(draft), { sessionLabel: (lang) => sessionLabel(draft, lang), settings: deps.settings, now: deps.clock.now() });
    },

    async create(draft, idempotencyKey) {
      validateDraft(draft);
      if (!idempotencyKey.trim()) throw new AppError('VALIDATION.FAILED', 'An idempotency key is required.');
      // Keys are claimed per pack, so two packs' organisers can never receive each other's broadcast.
      const id = await store.claim(`${packId}|${idempotencyKey}`, `b${randomUUID().replace(/-/g, '').slice(0, 12)}`);
      const { result, created } = await createOnce(store, id, {
        find: () => mine(id),
        existing: (record) => status(record),
        create: async (written) => status(await write(id, draft, written)),
      }, creation);
      return { broadcast: result, created };
    },

    async get(id) {
      const record = await mine(id);
      return record ? status(record) : null;
    },

    async list(limit = 20) {
      // One index for all packs: read it page by page until `limit` of this pack's are found.
      const out: BroadcastStatus[] = [];
      let scanned = 0;
      for (let page = limit; out.length < limit; page *= 4) {
        const ids = await store.list(page);
        for (const id of ids.slice(scanned)) {
          const record = await mine(id);
          if (record && out.length < limit) out.push(await status(record));
        }
        if (ids.length < page) break;
        scanned = ids.length;
      }
      return out;
    },

    async pause(id) {
      const record = await recordOf(id);
      if (record.state !== 'sending' && record.state !== 'scheduled') throw new AppError('BROADCAST.CONFLICT', `A ${record.state} broadcast cannot be paused.`);
      await store.set(id, { state: 'paused' });
      return status(await recordOf(id));
    },

    async resume(id) {
      const record = await recordOf(id);
      if (record.state !== 'paused') throw new AppError('BROADCAST.CONFLICT', `Only a paused broadcast can be resumed (this one is ${record.state}).`);
      await store.set(id, { state: record.startedAt ? 'sending' : 'scheduled' });
      if (record.nextWave < record.waves) {
        const wait = Math.max(0, new Date(record.sendAt).getTime() - deps.clock.now().getTime());
        const job = await fanout.queue.getJob(waveJobId(id, record.nextWave));
        if (job && (await job.isCompleted())) await job.remove();
        await scheduleWave(id, record.nextWave, wait);
      }
      return status(await recordOf(id));
    },

    async cancel(id) {
      const record = await recordOf(id);
      if (record.state === 'cancelled' || record.state === 'completed') throw new AppError('BROADCAST.CONFLICT', `A ${record.state} broadcast cannot be cancelled.`);
      await store.set(id, { state: 'cancelled', cancelledAt: deps.clock.now().toISOString() });
      return status(await recordOf(id));
    },

    async sendNow(id) {
      const record = await recordOf(id);
      const waiting = record.state === 'scheduled' || (record.state === 'sending' && record.nextWave < record.waves);
      if (!waiting) throw new AppError('BROADCAST.CONFLICT', `Only a scheduled or held broadcast can be sent now (this one is ${record.state}).`);
      const now = deps.clock.now();
      await store.set(id, { releasedAt: now.toISOString() });
      if (record.nextWave < record.waves) await fanout.releaseWave(id, record.nextWave, now.getTime());
      deps.logger.info({ broadcast: id }, 'broadcast released to send now');
      return status(await recordOf(id));
    },

    async resend(id, which) {
      const record = await recordOf(id);
      const rows: Array<{ phone: string; lang: Language }> = [];
      const langOf = new Map<string, Language>();
      for (let wave = 0; wave < record.waves; wave++) for (const r of await store.wave(id, wave, record.waveSize)) langOf.set(r.p, r.l);
      for (const group of await store.groups(id)) {
        for (const entry of await deps.ledger.listByGroup(group, { state: which, limit: 100_000 })) rows.push({ phone: entry.phone, lang: langOf.get(entry.phone) ?? deps.settings.defaultLanguage });
      }
      const round = (await store.groups(id, true)).length;
      const groups: string[] = [];
      // The organiser asked for these by name: the content guard does not apply; the expiry does.
      const validity = record.expiresAt ? { validForMs: new Date(record.expiresAt).getTime() - deps.clock.now().getTime() } : {};
      for (const lang of LANGUAGES) {
        const phones = rows.filter((r) => r.lang === lang).map((r) => r.phone);
        if (phones.length === 0) continue;
        // Queued PERSONAL_BATCH at a time (one at a time without `enqueueEach`).
        for (let start = 0; start < phones.length; start += PERSONAL_BATCH) {
          const chunk = phones.slice(start, start + PERSONAL_BATCH);
          const delegates = await Promise.all(chunk.map((phone) => deps.delegates.get(packId, phone)));
          const requests: OutboundRequest[] = chunk.map((phone, n) => ({
            to: phone, text: renderFor(textFor(record.draft, lang), { delegate: delegates[n] ?? null, lang }, record.session, record.draft.merge?.values[phone]),
            purpose: 'broadcast', idempotencyKey: `bc|${id}|resend-${which}-${round}|${phone}`, packId, force: true, ...validity,
          }));
          if (deps.outbound.enqueueEach) await deps.outbound.enqueueEach(requests);
          else for (const request of requests) await deps.outbound.enqueue(request);
          for (const request of requests) groups.push(messageIdFor(request.idempotencyKey));
        }
      }
      await store.addGroups(id, groups, true);
      return { broadcast: await status(record), queued: groups.length };
    },

    async report(id) {
      const record = await recordOf(id);
      return buildReport(record, await status(record), { store, ledger: deps.ledger });
    },

    async reportCsv(id, options = {}) {
      return buildReportCsv(await recordOf(id), { store, ledger: deps.ledger }, options.maskPhones === true);
    },

    async testSend(draft, phone) {
      validateDraft(draft);
      const normalised = normalisePhone(phone);
      if (!normalised.ok) throw new AppError('VALIDATION.FAILED', `Not a valid mobile number: ${normalised.reason}.`);
      const delegate = await deps.delegates.get(packId, normalised.e164);
      const lang = delegate?.language ?? deps.settings.defaultLanguage;
      // A merge sheet's test shows the sheet's first row.
      const values = draft.merge ? draft.merge.values[normalised.e164] ?? Object.values(draft.merge.values)[0] : undefined;
      const text = renderFor(textFor(draft, lang), { delegate, lang }, await sessionLabel(draft, lang), values);
      const result = await deps.outbound.enqueue({ to: normalised.e164, text, purpose: 'reply', idempotencyKey: `bc-test|${randomUUID()}`, packId });
      if (result.state === 'skipped') throw new AppError('BROADCAST.UNPROCESSABLE', `The test message was not sent: ${result.reason}.`);
      return { messageId: result.messageId };
    },
  };
}
