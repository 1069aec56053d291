/**
 * Broadcasts, as a story: resolve the audience once and freeze it, hold it for quiet hours, then
 * fan it out in waves (one deterministic job per wave, each recipient with a deterministic
 * idempotency key), so a repeated create or a fan-out that died half way queues each recipient
 * once. Pause stops the next wave; cancel also counts what never left as cancelled.
 */
import { randomUUID } from 'node:crypto';
import type { Language } from '../engine';
import { AppError } from '../kernel/errors';
import type { Keys } from '../infra/redis/keys';
import type { Logger } from '../kernel/logger';
import type { RedisClient } from '../infra/redis/client';
import { messageIdFor, type OutboundPipeline } from '../sms/outbound/outbound-pipeline';
import type { BroadcastDraft, BroadcastService, BroadcastStatus } from './broadcast-types';
import type { AgendaRepository } from '../event/agenda';
import type { Clock } from '../kernel/clock';
import type { DelegateRepository } from '../event/delegates';
import type { ReminderRepository } from '../reminders/reminders';
import type { SuppressionList } from '../sms/outbound/suppression-port';
import { resolveAudience, type AudienceMember } from './audience';
import { statusOf, sumGroups, type LedgerReader } from './broadcast-progress';
import { createFanout, waveJobId } from './broadcast-fanout';
import { buildPreview } from './broadcast-preview';
import { buildReport, buildReportCsv } from './broadcast-report';
import { createBroadcastStore, type BroadcastMeta, type BroadcastRecord } from './broadcasts.redis';
import { releaseTime, type QuietWindow } from './quiet-hours';
import { renderFor, sessionPlaceholder, textFor } from './render';


/** Recipients per wave at most (see `waveSize`). */
export const MAX_WAVE = 10_000;

export interface BroadcastDeps {
  redis: RedisClient;
  connection: RedisClient;
  keys: Keys;
  packId: string;
  delegates: DelegateRepository;
  reminders: ReminderRepository;
  agenda: AgendaRepository;
  suppression: SuppressionList;
  outbound: Pick<OutboundPipeline, 'enqueue' | 'enqueueMany'>;
  ledger: LedgerReader;
  clock: Clock;
  logger: Logger;
  settings: {
    quietHours: QuietWindow | null; timeZone: string; pricePerSegment: number; currency: string; ratePerSecond: number; defaultLanguage: Language; senderId: string | undefined;
    /** Lock of a running wave job (and the stalled-job check period); BullMQ's default when absent. */
    workerLockMs?: number;
  };
}


function validate(draft: BroadcastDraft): void {
  if (!draft.messages.sw?.trim() && !draft.messages.en?.trim()) throw new AppError('VALIDATION.FAILED', 'A broadcast needs a message in at least one language.');
  const a = draft.audience;
  if (!a.all && !a.cohorts?.length && !a.institutionTypes?.length && !a.sessions?.length && !a.phones?.length) throw new AppError('VALIDATION.FAILED', 'Choose an audience: everyone, a cohort, an institution type, a session or a list of numbers.');
  if (draft.sendAt && Number.isNaN(new Date(draft.sendAt).getTime())) throw new AppError('VALIDATION.FAILED', 'sendAt is not a valid time.');
}

export type BroadcastModule = BroadcastService & {
  /** Starts the fan-out worker on a blocking connection; resolves its stop function. */
  startWorker(connection: RedisClient): () => Promise<void>;
  close(): Promise<void>;
};

export function createBroadcastService(deps: BroadcastDeps): BroadcastModule {
  const store = createBroadcastStore(deps.redis, deps.keys);
  const fanout = createFanout(deps, store);
  const { scheduleWave } = fanout;
  // Ten seconds of sending per wave, at most MAX_WAVE: a wave is one ledger message per language,
  // written by one Lua call with two arguments per recipient (100,000 overflowed the stack).
  const waveSize = Math.min(MAX_WAVE, Math.max(50, deps.settings.ratePerSecond * 10));

  async function sessionLabel(draft: BroadcastDraft, lang: Language): Promise<string> {
    const code = draft.audience.sessions?.[0];
    if (!code) return '';
    return sessionPlaceholder(await deps.agenda.get(deps.packId), code, lang);
  }

  async function audience(draft: BroadcastDraft) {
    return resolveAudience(deps.packId, draft.audience, { ...deps, defaultLanguage: deps.settings.defaultLanguage, senderId: deps.settings.senderId });
  }

  async function require(id: string): Promise<BroadcastRecord> {
    const record = await store.get(id);
    if (!record) throw new AppError('BROADCAST.NOT_FOUND', `No broadcast ${id}.`);
    return record;
  }

  async function status(record: BroadcastRecord): Promise<BroadcastStatus> {
    return statusOf(record, await sumGroups(deps.ledger, await store.groups(record.id)), deps.clock.now().getTime());
  }

  return {
    async preview(draft) {
      validate(draft);
      return buildPreview(draft, await audience(draft), { sessionLabel: (lang) => sessionLabel(draft, lang), settings: deps.settings, now: deps.clock.now() });
    },

    async create(draft, idempotencyKey) {
      validate(draft);
      if (!idempotencyKey.trim()) throw new AppError('VALIDATION.FAILED', 'An idempotency key is required.');
      const id = await store.claim(idempotencyKey, `b${randomUUID().replace(/-/g, '').slice(0, 12)}`);
      const existing = await store.get(id);
      if (existing) return { broadcast: await status(existing), created: false };
      const resolved = await audience(draft);
      const now = deps.clock.now();
      const requested = draft.sendAt ? new Date(draft.sendAt) : now;
      const sendAt = releaseTime(requested.getTime() < now.getTime() ? now : requested, deps.settings.quietHours, deps.settings.timeZone, draft.urgent === true);
      const byLanguage = { sw: 0, en: 0 };
      for (const m of resolved.members) byLanguage[m.lang]++;
      const meta: BroadcastMeta = {
        id, packId: deps.packId, name: draft.name?.trim() || `Broadcast ${now.toISOString().slice(0, 16).replace('T', ' ')}`, draft,
        createdAt: now.toISOString(), sendAt: sendAt.toISOString(), urgent: draft.urgent === true, total: resolved.members.length, byLanguage,
        waveSize, waves: Math.ceil(resolved.members.length / waveSize), session: await sessionLabel(draft, deps.settings.defaultLanguage),
      };
      await store.create(meta, resolved.members.map((m: AudienceMember) => ({ p: m.phone, l: m.lang })));
      if (meta.waves > 0) await scheduleWave(id, 0, sendAt.getTime() - now.getTime());
      else await store.set(id, { state: 'sending', startedAt: now.toISOString() });
      deps.logger.info({ broadcast: id, total: meta.total, sendAt: meta.sendAt }, 'broadcast created');
      return { broadcast: await status(await require(id)), created: true };
    },

    async get(id) {
      const record = await store.get(id);
      return record ? status(record) : null;
    },

    async list(limit = 20) {
      const ids = await store.list(limit);
      const out: BroadcastStatus[] = [];
      for (const id of ids) {
        const record = await store.get(id);
        if (record) out.push(await status(record));
      }
      return out;
    },

    async pause(id) {
      const record = await require(id);
      if (record.state !== 'sending' && record.state !== 'scheduled') throw new AppError('BROADCAST.CONFLICT', `A ${record.state} broadcast cannot be paused.`);
      await store.set(id, { state: 'paused' });
      return status(await require(id));
    },

    async resume(id) {
      const record = await require(id);
      if (record.state !== 'paused') throw new AppError('BROADCAST.CONFLICT', `Only a paused broadcast can be resumed (this one is ${record.state}).`);
      await store.set(id, { state: record.startedAt ? 'sending' : 'scheduled' });
      if (record.nextWave < record.waves) {
        const wait = Math.max(0, new Date(record.sendAt).getTime() - deps.clock.now().getTime());
        const job = await fanout.queue.getJob(waveJobId(id, record.nextWave));
        if (job && (await job.isCompleted())) await job.remove();
        await scheduleWave(id, record.nextWave, wait);
      }
      return status(await require(id));
    },

    async cancel(id) {
      const record = await require(id);
      if (record.state === 'cancelled' || record.state === 'completed') throw new AppError('BROADCAST.CONFLICT', `A ${record.state} broadcast cannot be cancelled.`);
      await store.set(id, { state: 'cancelled', cancelledAt: deps.clock.now().toISOString() });
      return status(await require(id));
    },

    async resend(id, which) {
      const record = await require(id);
      const rows: Array<{ phone: string; lang: Language }> = [];
      const langOf = new Map<string, Language>();
      for (let wave = 0; wave < record.waves; wave++) for (const r of await store.wave(id, wave, record.waveSize)) langOf.set(r.p, r.l);
      for (const group of await store.groups(id)) {
        for (const entry of await deps.ledger.listByGroup(group, { state: which, limit: 100_000 })) rows.push({ phone: entry.phone, lang: langOf.get(entry.phone) ?? deps.settings.defaultLanguage });
      }
      const round = (await store.groups(id, true)).length;
      const groups: string[] = [];
      for (const lang of ['sw', 'en'] as const) {
        const phones = rows.filter((r) => r.lang === lang).map((r) => r.phone);
        if (phones.length === 0) continue;
        for (const phone of phones) {
          const key = `bc|${id}|resend-${which}-${round}|${phone}`;
          const delegate = await deps.delegates.get(deps.packId, phone);
          await deps.outbound.enqueue({ to: phone, text: renderFor(textFor(record.draft, lang), { delegate, lang }, record.session), purpose: 'broadcast', idempotencyKey: key });
          groups.push(messageIdFor(key));
        }
      }
      await store.addGroups(id, groups, true);
      return { broadcast: await status(record), queued: groups.length };
    },

    async report(id) {
      const record = await require(id);
      return buildReport(record, await status(record), { store, ledger: deps.ledger });
    },

    async reportCsv(id, options = {}) {
      return buildReportCsv(await require(id), { store, ledger: deps.ledger }, options.maskPhones === true);
    },

    async testSend(draft, phone) {
      validate(draft);
      const { normalisePhone } = await import('../kernel/phone');
      const normalised = normalisePhone(phone);
      if (!normalised.ok) throw new AppError('VALIDATION.FAILED', `Not a valid mobile number: ${normalised.reason}.`);
      const delegate = await deps.delegates.get(deps.packId, normalised.e164);
      const lang = delegate?.language ?? deps.settings.defaultLanguage;
      const text = renderFor(textFor(draft, lang), { delegate, lang }, await sessionLabel(draft, lang));
      const result = await deps.outbound.enqueue({ to: normalised.e164, text, purpose: 'reply', idempotencyKey: `bc-test|${randomUUID()}` });
      if (result.state === 'skipped') throw new AppError('BROADCAST.UNPROCESSABLE', `The test message was not sent: ${result.reason}.`);
      return { messageId: result.messageId };
    },

    startWorker: (connection) => fanout.startWorker(connection),

    close: () => fanout.close(),
  };
}

