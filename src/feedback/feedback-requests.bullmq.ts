/**
 * Rating requests after each session, as delayed BullMQ jobs with deterministic ids: one per
 * (pack, session, end time), so any number of processes may schedule and an agenda edit adds the
 * new time's job (the old one finds the session moved and sends nothing). At firing time the job
 * reads the organiser's choice (subscribers, the cohort or off) and queues one SMS per person
 * through the outbound ledger, whose idempotency key makes it exactly once; opt-outs and the daily
 * budget apply there as for reminders.
 */
import { createHash } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import type { AgendaRepository } from '../event/agenda';
import { renderMessage, sessionVariables } from '../event/catalogue';
import type { DelegateRepository } from '../event/delegates';
import type { EventPack } from '../event/event-pack';
import type { EventData } from '../event/event-schema';
import { sessionEnd } from '../event/session-time';
import type { RedisClient } from '../infra/redis/client';
import { jobId } from '../infra/redis/job-id';
import { watchWorker } from '../infra/redis/worker-watchdog';
import { ENGAGE_QUEUES, ENGAGE_TTL, type Keys } from '../infra/redis/keys';
import type { Clock } from '../kernel/clock';
import type { Language } from '../kernel/language';
import type { Logger } from '../kernel/logger';
import type { ReminderRepository } from '../reminders/reminders';
import type { OutboundMessages } from '../sms/outbound/outbound-port';
import { audienceFor, cohortOf, type FeedbackStore } from './feedback';

export interface FeedbackRequestJob {
  packId: string;
  session: string;
  /** ISO end of the session when scheduled; a moved session's old job sends nothing. */
  endsAt: string;
}

/** A request more than this late (the gateway was down) is dropped, not sent hours after the session. */
export const FEEDBACK_LATE_LIMIT_MS = 2 * 3600_000;

export interface FeedbackRequests {
  queue: Queue<FeedbackRequestJob>;
  /** Schedules a request for every session of the pack that has not ended long ago (idempotent). */
  scheduleAll(packId: string): Promise<number>;
  close(): Promise<void>;
}

export function feedbackJobId(packId: string, session: string, endsAt: Date): string {
  return jobId('fb', packId, session, endsAt.getTime());
}

export function createFeedbackRequests(deps: { connection: RedisClient; keys: Keys; agenda: AgendaRepository; clock: Clock; logger: Logger }): FeedbackRequests {
  const queue = new Queue<FeedbackRequestJob>(ENGAGE_QUEUES.feedback, { connection: deps.connection, prefix: deps.keys.queuePrefix });
  queue.on('error', (error: Error) => deps.logger.debug({ err: error.message }, 'feedback queue error'));
  const keep = { removeOnComplete: { age: ENGAGE_TTL.feedbackJobCompletedS }, removeOnFail: { age: ENGAGE_TTL.feedbackJobFailedS }, attempts: 5, backoff: { type: 'exponential', delay: 2000 } };
  return {
    queue,
    async scheduleAll(packId) {
      const event: EventData = await deps.agenda.get(packId);
      const now = deps.clock.now().getTime();
      let scheduled = 0;
      for (const session of event.sessions) {
        const endsAt = sessionEnd(event, session);
        if (endsAt.getTime() + FEEDBACK_LATE_LIMIT_MS < now) continue;
        await queue.add('feedback', { packId, session: session.code, endsAt: endsAt.toISOString() }, {
          ...keep, jobId: feedbackJobId(packId, session.code, endsAt), delay: Math.max(0, endsAt.getTime() - now),
        });
        scheduled++;
      }
      return scheduled;
    },
    close: () => queue.close(),
  };
}

export interface FeedbackWorkerDeps {
  packs: readonly EventPack[];
  agenda: AgendaRepository;
  feedback: FeedbackStore;
  reminders: ReminderRepository;
  delegates: DelegateRepository;
  outbound: OutboundMessages;
  clock: Clock;
  defaultLanguage: Language;
}

export type FeedbackFireResult = { sent: number; dropped?: string };

/** A phone's stand-in in idempotency keys (the ledger keeps keys longer than a person may ask). */
export function phoneRef(packId: string, phone: string): string {
  return createHash('sha256').update(`${packId}|${phone}`).digest('hex').slice(0, 16);
}

export function createFeedbackProcessor(deps: FeedbackWorkerDeps): (job: Pick<Job<FeedbackRequestJob>, 'data'>) => Promise<FeedbackFireResult> {
  return async ({ data }) => {
    const pack = deps.packs.find((p) => p.id === data.packId);
    if (!pack) return { sent: 0, dropped: 'unknown pack' };
    const event = await deps.agenda.get(pack.id);
    const session = event.sessions.find((s) => s.code === data.session);
    if (!session) return { sent: 0, dropped: 'session cancelled' };
    if (sessionEnd(event, session).toISOString() !== data.endsAt) return { sent: 0, dropped: 'session moved' };
    if (deps.clock.now().getTime() > new Date(data.endsAt).getTime() + FEEDBACK_LATE_LIMIT_MS) return { sent: 0, dropped: 'past the late limit' };
    const audience = audienceFor(await deps.feedback.settings(pack.id), session.code);
    if (audience === 'off') return { sent: 0, dropped: 'feedback off for this session' };
    const everyone = (await deps.delegates.list(pack.id)).items;
    const byPhone = new Map(everyone.map((d) => [d.phone, d]));
    const phones = audience === 'cohort' ? cohortOf(event, session, everyone).map((d) => d.phone) : await deps.reminders.subscribers(pack.id, session.code);
    let sent = 0;
    for (const phone of new Set(phones)) {
      if (await deps.feedback.hasRated(pack.id, phone, session.code)) continue;
      const lang = byPhone.get(phone)?.language ?? deps.defaultLanguage;
      const text = renderMessage(pack, lang, 'sms.feedback_request', sessionVariables(event, session, lang));
      const result = await deps.outbound.enqueue({ to: phone, text, purpose: 'reminder', idempotencyKey: `fb|${pack.id}|${session.code}|${data.endsAt}|${phoneRef(pack.id, phone)}`, packId: pack.id });
      if (result.state === 'queued') {
        await deps.feedback.markRequested(pack.id, phone, session.code);
        sent++;
      }
    }
    return { sent };
  };
}

export function startFeedbackWorker(connection: RedisClient, keys: Keys, logger: Logger, deps: FeedbackWorkerDeps): () => Promise<void> {
  const fire = createFeedbackProcessor(deps);
  const create = (): Worker<FeedbackRequestJob, FeedbackFireResult> => {
    const worker = new Worker<FeedbackRequestJob, FeedbackFireResult>(ENGAGE_QUEUES.feedback, async (job) => {
      const result = await fire(job);
      if (result.dropped) logger.info({ jobId: job.id, reason: result.dropped }, 'feedback request dropped');
      return result;
    }, { connection, prefix: keys.queuePrefix, concurrency: 2 });
    worker.on('error', (error) => logger.warn({ err: error.message }, 'feedback worker error'));
    worker.on('failed', (job, error) => logger.error({ jobId: job?.id, err: error.message }, 'feedback job failed'));
    return worker;
  };
  // Like every queue consumer: a worker that stops taking ready jobs (after a failover) is replaced.
  const queue = new Queue(ENGAGE_QUEUES.feedback, { connection, prefix: keys.queuePrefix });
  queue.on('error', () => undefined);
  const watched = watchWorker({ name: 'feedback-requests', create, ready: async () => Object.values(await queue.getJobCounts('waiting', 'prioritized')).reduce((sum, n) => sum + n, 0), logger });
  return async () => {
    await watched.close();
    await queue.close().catch(() => undefined);
  };
}
