/**
 * Fires reminder, change-notice and digest jobs. Each checks at firing time that it still holds
 * (the session exists at the same time, the subscription stands, the moment is not past the grace
 * window) and then queues one SMS whose idempotency key is the job's own id: exactly once, even
 * when several workers or a restart run the same job.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { EventPack } from '../event/event-pack';
import type { Language } from '../kernel/language';
import type { Keys } from '../infra/redis/keys';
import type { Logger } from '../kernel/logger';
import type { RedisClient } from '../infra/redis/client';
import { watchWorker } from '../infra/redis/worker-watchdog';
import type { AgendaRepository } from '../event/agenda';
import type { Clock } from '../kernel/clock';
import type { DelegateRepository } from '../event/delegates';
import type { OutboundMessages } from '../sms/outbound/outbound-port';
import type { ReminderRepository } from './reminders';
import { renderMessage, sessionVariables } from '../event/catalogue';
import { shortDate } from '../kernel/local-time';
import { fitSegments } from '../kernel/text/sms-split';
import { REMINDER_QUEUE, type ReminderJob, type ReminderScheduler, type ReminderSettings } from './reminder-scheduler.bullmq';
import { localInstant, sessionStart } from './session-time';

export interface ReminderWorkerDeps {
  connection: RedisClient;
  keys: Keys;
  packs: readonly EventPack[];
  /** The live version of every pack (flow releases), read per job; default: `packs`. */
  livePacks?: () => readonly EventPack[];
  scheduler: ReminderScheduler;
  agenda: AgendaRepository;
  reminders: ReminderRepository;
  delegates: DelegateRepository;
  outbound: OutboundMessages;
  clock: Clock;
  settings: ReminderSettings;
  defaultLanguage: Language;
  logger: Logger;
}

export type FireResult = { sent: number; dropped?: string };

export function createReminderProcessor(deps: ReminderWorkerDeps): (job: Pick<Job<ReminderJob>, 'id' | 'data'>) => Promise<FireResult> {
  const graceMs = deps.settings.graceMinutes * 60_000;
  const leadMs = deps.settings.leadMinutes * 60_000;

  async function languageOf(packId: string, phone: string): Promise<Language> {
    return (await deps.delegates.languageOf(packId, phone)) ?? deps.defaultLanguage;
  }

  return async (job) => {
    const data = job.data;
    const pack = (deps.livePacks?.() ?? deps.packs).find((p) => p.id === data.packId);
    if (!pack) return { sent: 0, dropped: 'unknown pack' };
    const event = await deps.agenda.get(pack.id);
    const now = deps.clock.now().getTime();

    if (data.kind === 'digest') {
      const at = localInstant(event, data.day, deps.settings.digestTime ?? '07:00').getTime();
      if (now > at + graceMs) return { sent: 0, dropped: 'past the grace window' };
      const sessions = event.sessions.filter((s) => s.day === data.day).sort((a, b) => a.start.localeCompare(b.start));
      let sent = 0;
      const phones = new Set<string>();
      for (const s of sessions) for (const phone of await deps.reminders.subscribers(pack.id, s.code)) phones.add(phone);
      for (const phone of phones) {
        const lang = await languageOf(pack.id, phone);
        const mine = new Set(await deps.reminders.listForPhone(pack.id, phone));
        const lines = sessions.filter((s) => mine.has(s.code)).map((s) => `${s.start} ${s.code} ${s.short[lang]} (${s.room})`).join('\n');
        const ref = await deps.scheduler.refFor(pack.id, phone);
        const text = fitSegments(renderMessage(pack, lang, 'sms.digest', { date: shortDate(data.day), sessions: lines, note: event.sample ? (event.note?.[lang] ?? '') : '' }), 3).text;
        await deps.outbound.enqueue({ to: phone, text, purpose: 'reminder', idempotencyKey: `digest|${pack.id}|${data.day}|${ref}`, packId: pack.id });
        sent++;
      }
      return { sent };
    }

    const phone = await deps.scheduler.phoneFor(pack.id, data.ref);
    if (!phone) return { sent: 0, dropped: 'unknown subscriber' };
    const subscribed = (await deps.reminders.listForPhone(pack.id, phone)).includes(data.session);
    const session = event.sessions.find((s) => s.code === data.session);
    const lang = await languageOf(pack.id, phone);

    if (data.kind === 'change') {
      if (!subscribed) return { sent: 0, dropped: 'no longer subscribed' };
      const key = data.change === 'cancelled' || !session ? 'sms.session_cancelled' : 'sms.session_moved';
      const vars = session ? sessionVariables(event, session, lang) : { 'session.code': data.session };
      await deps.outbound.enqueue({ to: phone, text: renderMessage(pack, lang, key, vars), purpose: 'reminder', idempotencyKey: String(job.id), packId: pack.id });
      return { sent: 1 };
    }

    if (!session) return { sent: 0, dropped: 'session cancelled' };
    if (sessionStart(event, session).toISOString() !== data.startsAt) return { sent: 0, dropped: 'session moved' };
    if (!subscribed) return { sent: 0, dropped: 'no longer subscribed' };
    if (now > new Date(data.startsAt).getTime() - leadMs + graceMs) return { sent: 0, dropped: 'past the grace window' };
    // A reminder still unsent when its session starts is skipped `expired`, never sent late.
    const validForMs = new Date(data.startsAt).getTime() - now;
    await deps.outbound.enqueue({ to: phone, text: renderMessage(pack, lang, 'sms.reminder', sessionVariables(event, session, lang)), purpose: 'reminder', idempotencyKey: String(job.id), packId: pack.id, validForMs });
    return { sent: 1 };
  };
}

export function startReminderWorker(deps: ReminderWorkerDeps): () => Promise<void> {
  const process = createReminderProcessor(deps);
  const create = (): Worker<ReminderJob, FireResult> => {
    const worker = new Worker<ReminderJob, FireResult>(REMINDER_QUEUE, async (job) => {
      const result = await process(job);
      if (result.dropped) deps.logger.info({ jobId: job.id, reason: result.dropped }, 'reminder dropped');
      return result;
    }, { connection: deps.connection, prefix: deps.keys.queuePrefix, concurrency: 4 });
    worker.on('error', (error) => deps.logger.warn({ err: error.message }, 'reminder worker error'));
    worker.on('failed', (job, error) => deps.logger.error({ jobId: job?.id, err: error.message }, 'reminder job failed'));
    return worker;
  };
  const queue = new Queue(REMINDER_QUEUE, { connection: deps.connection, prefix: deps.keys.queuePrefix });
  queue.on('error', () => undefined);
  const watched = watchWorker({ name: 'reminders', create, ready: async () => Object.values(await queue.getJobCounts('waiting', 'prioritized')).reduce((sum, n) => sum + n, 0), logger: deps.logger });
  return async () => {
    await watched.close();
    await queue.close().catch(() => undefined);
  };
}
