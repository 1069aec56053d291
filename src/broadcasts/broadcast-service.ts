/**
 * Broadcasts, as a story: resolve the audience once and freeze it, hold it for quiet hours, then
 * fan it out in waves (one deterministic job per wave, each recipient with a deterministic
 * idempotency key), so a repeated create or a fan-out that died half way queues each recipient
 * once. Pause stops the next wave; cancel also counts what never left as cancelled.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Language } from '../engine';
import { AppError } from '../http/errors';
import type { Keys } from '../infra/keys';
import type { Logger } from '../infra/logger';
import type { RedisClient } from '../infra/redis';
import { messageIdFor, type OutboundPipeline } from '../messaging/outbound-pipeline';
import type { BroadcastDraft, BroadcastPreview, BroadcastRecipientRow, BroadcastService, BroadcastStatus, LanguagePreview } from '../ports/broadcasts';
import type { AgendaRepository } from '../ports/agenda';
import type { Clock } from '../ports/clock';
import type { DelegateRepository } from '../ports/delegates';
import type { ReminderRepository } from '../ports/reminders';
import type { SuppressionList } from '../ports/suppression';
import { measureSms } from '../text/gsm';
import { resolveAudience, type AudienceMember } from './audience';
import { emptyCounts, statusOf, sumGroups, type LedgerReader } from './broadcast-progress';
import { createBroadcastStore, type BroadcastMeta, type BroadcastRecord } from './broadcast-store';
import { inQuietHours, releaseTime, type QuietWindow } from './quiet-hours';
import { isPersonalised, renderFor } from './render';

export const FANOUT_QUEUE = 'broadcast-fanout';

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

interface WaveJob { id: string; wave: number }

function textFor(draft: BroadcastDraft, lang: Language): string {
  return (lang === 'sw' ? (draft.messages.sw ?? draft.messages.en) : (draft.messages.en ?? draft.messages.sw)) ?? '';
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
  const queue = new Queue<WaveJob>(FANOUT_QUEUE, { connection: deps.connection, prefix: deps.keys.queuePrefix });
  queue.on('error', (error: Error) => deps.logger.debug({ err: error.message }, 'broadcast queue error'));
  // Ten seconds of sending per wave, at most MAX_WAVE: a wave is one ledger message per language,
  // written by one Lua call with two arguments per recipient (100,000 overflowed the stack).
  const waveSize = Math.min(MAX_WAVE, Math.max(50, deps.settings.ratePerSecond * 10));
  const jobOptions = { attempts: 10, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 86400 }, removeOnFail: { age: 30 * 86400 } };

  async function sessionLabel(draft: BroadcastDraft, lang: Language): Promise<string> {
    const code = draft.audience.sessions?.[0];
    if (!code) return '';
    const session = (await deps.agenda.get(deps.packId)).sessions.find((s) => s.code === code);
    return session ? session.short[lang] : code;
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

  async function scheduleWave(id: string, wave: number, delayMs: number): Promise<void> {
    await queue.add('wave', { id, wave }, { ...jobOptions, jobId: `bc|${id}|w${wave}`, delay: Math.max(0, delayMs) });
  }

  /** Queues one wave of recipients; idempotent per recipient. */
  async function runWave(job: WaveJob): Promise<void> {
    const record = await store.get(job.id);
    if (!record || record.state === 'cancelled' || record.state === 'paused') return;
    // A run that died after recording its progress but before scheduling the next wave is retried
    // with an old wave number: schedule the next wave again (same job id, so a no-op if it exists).
    if (job.wave < record.nextWave && record.nextWave < record.waves) await scheduleWave(record.id, record.nextWave, 0);
    if (job.wave !== record.nextWave) return;
    const now = deps.clock.now();
    const release = releaseTime(now, deps.settings.quietHours, deps.settings.timeZone, record.urgent);
    if (release.getTime() > now.getTime()) {
      // A long broadcast that runs into quiet hours waits for the morning, wave by wave.
      await queue.add('wave', job, { ...jobOptions, jobId: `bc|${record.id}|w${job.wave}|held${release.getTime()}`, delay: release.getTime() - now.getTime() });
      return;
    }
    const members = await store.wave(record.id, job.wave, record.waveSize);
    const groups: string[] = [];
    for (const lang of ['sw', 'en'] as const) {
      const mine = members.filter((m) => m.l === lang);
      if (mine.length === 0) continue;
      const text = textFor(record.draft, lang);
      if (isPersonalised(text)) {
        for (const member of mine) {
          const delegate = await deps.delegates.get(deps.packId, member.p);
          const key = `bc|${record.id}|${member.p}`;
          await deps.outbound.enqueue({ to: member.p, text: renderFor(text, { delegate, lang }, record.session), purpose: 'broadcast', idempotencyKey: key });
          groups.push(messageIdFor(key));
        }
      } else {
        const result = await deps.outbound.enqueueMany({ idempotencyKey: `bc|${record.id}|${lang}|w${job.wave}`, text, purpose: 'broadcast', to: mine.map((m) => m.p) });
        groups.push(result.messageId);
      }
    }
    await store.addGroups(record.id, groups);
    const next = job.wave + 1;
    await store.set(record.id, { nextWave: String(next), ...(record.startedAt ? {} : { startedAt: deps.clock.now().toISOString() }), ...(record.state === 'scheduled' ? { state: 'sending' } : {}) });
    if (next < record.waves) await scheduleWave(record.id, next, Math.floor((members.length / deps.settings.ratePerSecond) * 800));
  }

  return {
    async preview(draft) {
      validate(draft);
      const resolved = await audience(draft);
      const languages: BroadcastPreview['languages'] = {};
      let segments = 0;
      const problems: string[] = [];
      for (const lang of ['sw', 'en'] as const) {
        const members = resolved.members.filter((m) => m.lang === lang);
        if (members.length === 0) continue;
        if (!draft.messages[lang]?.trim()) problems.push(lang === 'sw' ? `${members.length} recipients prefer Kiswahili but there is no Kiswahili text: they get the English one.` : `${members.length} recipients prefer English but there is no English text: they get the Kiswahili one.`);
        const text = textFor(draft, lang);
        const label = await sessionLabel(draft, lang);
        const rendered = members.map((m) => renderFor(text, m, label));
        const first = measureSms(rendered[0] ?? text);
        for (const r of rendered) segments += measureSms(r).segments;
        const entry: LanguagePreview = { recipients: members.length, sample: rendered[0] ?? text, encoding: first.encoding, units: first.units, segments: first.segments, nonGsmCharacters: first.nonGsmCharacters };
        languages[lang] = entry;
        if (first.encoding === 'UCS-2') problems.push(`The ${lang === 'sw' ? 'Kiswahili' : 'English'} text needs UCS-2 because of ${first.nonGsmCharacters.map((c) => JSON.stringify(c)).join(' ')}: 70 characters per SMS instead of 160.`);
      }
      const requested = draft.sendAt ? new Date(draft.sendAt) : deps.clock.now();
      const sendsAt = releaseTime(requested, deps.settings.quietHours, deps.settings.timeZone, draft.urgent === true);
      const window = deps.settings.quietHours ? `${deps.settings.quietHours.start}-${deps.settings.quietHours.end}` : 'off';
      return {
        audience: { selected: resolved.selected, eligible: resolved.members.length, optedOut: resolved.optedOut, invalid: resolved.invalid, duplicates: resolved.duplicates },
        languages,
        cost: { segments, pricePerSegment: deps.settings.pricePerSegment, currency: deps.settings.currency, amount: Math.round(segments * deps.settings.pricePerSegment * 100) / 100 },
        quietHours: { window, inQuietHours: inQuietHours(requested, deps.settings.quietHours, deps.settings.timeZone), urgent: draft.urgent === true, sendsAt: sendsAt.toISOString() },
        problems,
      };
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
        const job = await queue.getJob(`bc|${id}|w${record.nextWave}`);
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
      const current = await status(record);
      const byReason: Record<string, number> = {};
      const problems: BroadcastRecipientRow[] = [];
      for (const group of await store.groups(id)) {
        for (const entry of await deps.ledger.listByGroup(group, { limit: 100_000 })) {
          if (entry.reason) byReason[entry.reason] = (byReason[entry.reason] ?? 0) + 1;
          if (entry.state === 'failed' || entry.state === 'uncertain') {
            problems.push({ phone: entry.phone, language: 'sw', state: entry.state, reason: entry.reason ?? '', providerMessageId: entry.providerMessageId ?? '', cost: entry.cost ? `${entry.cost.currency} ${entry.cost.amount}` : '', updatedAt: new Date(entry.updatedAt).toISOString() });
          }
        }
      }
      if (current.counts.cancelled > 0) byReason.cancelled = current.counts.cancelled;
      return { status: current, byReason, problems };
    },

    async reportCsv(id, options = {}) {
      const record = await require(id);
      const { maskPhone } = await import('../domain/phone');
      const lines = ['phone,language,state,reason,provider_message_id,cost,updated_at'];
      const langOf = new Map<string, Language>();
      const seen = new Set<string>();
      for (let wave = 0; wave < record.waves; wave++) for (const r of await store.wave(id, wave, record.waveSize)) langOf.set(r.p, r.l);
      const cell = (value: string): string => {
        const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
        return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
      };
      for (const group of await store.groups(id)) {
        for (const e of await deps.ledger.listByGroup(group, { limit: 100_000 })) {
          seen.add(e.phone);
          lines.push([options.maskPhones ? maskPhone(e.phone) : e.phone, langOf.get(e.phone) ?? '', e.state, e.reason ?? '', e.providerMessageId ?? '', e.cost ? `${e.cost.currency} ${e.cost.amount}` : '', new Date(e.updatedAt).toISOString()].map(cell).join(','));
        }
      }
      for (const [phone, lang] of langOf) {
        if (!seen.has(phone)) lines.push([options.maskPhones ? maskPhone(phone) : phone, lang, record.state === 'cancelled' ? 'cancelled' : 'queued', '', '', '', ''].map(cell).join(','));
      }
      return `${lines.join('\n')}\n`;
    },

    async testSend(draft, phone) {
      validate(draft);
      const { normalisePhone } = await import('../domain/phone');
      const normalised = normalisePhone(phone);
      if (!normalised.ok) throw new AppError('VALIDATION.FAILED', `Not a valid mobile number: ${normalised.reason}.`);
      const delegate = await deps.delegates.get(deps.packId, normalised.e164);
      const lang = delegate?.language ?? deps.settings.defaultLanguage;
      const text = renderFor(textFor(draft, lang), { delegate, lang }, await sessionLabel(draft, lang));
      const result = await deps.outbound.enqueue({ to: normalised.e164, text, purpose: 'reply', idempotencyKey: `bc-test|${randomUUID()}` });
      if (result.state === 'skipped') throw new AppError('BROADCAST.UNPROCESSABLE', `The test message was not sent: ${result.reason}.`);
      return { messageId: result.messageId };
    },

    startWorker(connection) {
      const worker = new Worker<WaveJob>(FANOUT_QUEUE, async (job) => runWave(job.data), {
        // A wave is idempotent per recipient: a wave whose worker died is run again, not failed.
        connection, prefix: deps.keys.queuePrefix, concurrency: 1, maxStalledCount: 20,
        ...(deps.settings.workerLockMs ? { lockDuration: deps.settings.workerLockMs, stalledInterval: deps.settings.workerLockMs } : {}),
      });
      worker.on('error', (error) => deps.logger.warn({ err: error.message }, 'broadcast fan-out worker error'));
      worker.on('failed', (job, error) => deps.logger.error({ job: job?.id, err: error.message }, 'broadcast wave failed'));
      return () => worker.close();
    },

    close: () => queue.close(),
  };
}

export { emptyCounts };
