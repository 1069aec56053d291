/**
 * Reminders as delayed BullMQ jobs with deterministic ids: one per (pack, session, subscriber,
 * start time). Adding the same job twice is a no-op, so any number of API and worker processes
 * can schedule; the job checks at firing time that it still holds (session, time, subscription)
 * and the outbound ledger's idempotency key makes the SMS exactly once.
 */
import { jobId } from '../infra/redis/job-id';
import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import type { EventData, EventSession } from '../event/event-schema';
import { QUEUES, TTL, type Keys } from '../infra/redis/keys';
import type { Logger } from '../kernel/logger';
import type { RedisClient } from '../infra/redis/client';
import type { AgendaRepository } from '../event/agenda';
import type { Clock } from '../kernel/clock';
import type { ReminderRepository } from './reminders';
import { localInstant, sessionStart } from './session-time';

export const REMINDER_QUEUE = QUEUES.reminders;

export interface ReminderSettings {
  leadMinutes: number;
  graceMinutes: number;
  /** Local HH:MM of the morning digest, or null when digests are off. */
  digestTime: string | null;
}

export type ReminderJob =
  | { kind: 'reminder'; packId: string; session: string; ref: string; startsAt: string }
  | { kind: 'change'; packId: string; session: string; ref: string; change: 'moved' | 'cancelled'; version: string }
  | { kind: 'digest'; packId: string; day: string };

export interface ReminderScheduler {
  queue: Queue<ReminderJob>;
  /** Subscriber reference used in job ids and payloads instead of the phone number. */
  refFor(packId: string, phone: string): Promise<string>;
  phoneFor(packId: string, ref: string): Promise<string | null>;
  onSubscriptionChanged(packId: string, phone: string, sessionCode: string, subscribed: boolean): Promise<void>;
  onAgendaChanged(packId: string, before: EventData, after: EventData): Promise<void>;
  /** Schedules the morning digests of every event day (idempotent). */
  scheduleDigests(packId: string): Promise<void>;
  close(): Promise<void>;
}

export function reminderJobId(packId: string, session: string, ref: string, startsAt: Date): string {
  return jobId('rem', packId, session, ref, startsAt.getTime());
}

/** Hash of subscriber ref -> phone for one pack (job payloads carry the ref, not the number). */
export function refsKey(keys: Keys, packId: string): string {
  return keys.reminders.subscriberRefs(packId);
}

function changed(a: EventSession, b: EventSession): boolean {
  return a.day !== b.day || a.start !== b.start || a.end !== b.end || a.room !== b.room;
}

export function createReminderScheduler(deps: {
  connection: RedisClient; redis: RedisClient; keys: Keys; agenda: AgendaRepository; reminders: ReminderRepository;
  clock: Clock; settings: ReminderSettings; logger: Logger;
}): ReminderScheduler {
  const { keys, redis, settings } = deps;
  const queue = new Queue<ReminderJob>(REMINDER_QUEUE, { connection: deps.connection, prefix: keys.queuePrefix });
  // Without a listener BullMQ prints connection errors to stderr (raw stacks while Redis restarts).
  queue.on('error', (error: Error) => deps.logger.debug({ err: error.message }, 'reminder queue error'));
  const leadMs = settings.leadMinutes * 60_000;
  const graceMs = settings.graceMinutes * 60_000;
  const keep = { removeOnComplete: { age: TTL.reminderJobCompletedS }, removeOnFail: { age: TTL.reminderJobFailedS }, attempts: 5, backoff: { type: 'exponential', delay: 2000 } };

  async function refFor(packId: string, phone: string): Promise<string> {
    const ref = createHash('sha256').update(`${packId}|${phone}`).digest('hex').slice(0, 16);
    await redis.hset(refsKey(keys, packId), ref, phone);
    return ref;
  }

  async function schedule(packId: string, event: EventData, session: EventSession, ref: string): Promise<void> {
    const startsAt = sessionStart(event, session);
    const fireAt = startsAt.getTime() - leadMs;
    const now = deps.clock.now().getTime();
    if (fireAt + graceMs < now) return; // too late to remind: the session has (nearly) begun
    await queue.add('reminder', { kind: 'reminder', packId, session: session.code, ref, startsAt: startsAt.toISOString() }, {
      ...keep, jobId: reminderJobId(packId, session.code, ref, startsAt), delay: Math.max(0, fireAt - now),
    });
  }

  async function unschedule(packId: string, event: EventData, session: EventSession, ref: string): Promise<void> {
    const job = await queue.getJob(reminderJobId(packId, session.code, ref, sessionStart(event, session)));
    if (job && (await job.isDelayed())) await job.remove().catch(() => undefined);
  }

  return {
    queue,
    refFor,
    phoneFor: (packId, ref) => redis.hget(refsKey(keys, packId), ref),

    async onSubscriptionChanged(packId, phone, code, subscribed) {
      const event = await deps.agenda.get(packId);
      const session = event.sessions.find((s) => s.code === code);
      if (!session) return;
      const ref = await refFor(packId, phone);
      if (subscribed) await schedule(packId, event, session, ref);
      else await unschedule(packId, event, session, ref);
    },

    async onAgendaChanged(packId, before, after) {
      for (const old of before.sessions) {
        const now = after.sessions.find((s) => s.code === old.code);
        if (now && !changed(old, now)) continue;
        const phones = await deps.reminders.subscribers(packId, old.code);
        const version = now ? `${now.day}T${now.start}-${now.end}@${now.room}` : 'cancelled';
        for (const phone of phones) {
          const ref = await refFor(packId, phone);
          await unschedule(packId, before, old, ref);
          if (now) await schedule(packId, after, now, ref);
          // One notice per subscriber and per change (the version is part of the job id).
          await queue.add('change', { kind: 'change', packId, session: old.code, ref, change: now ? 'moved' : 'cancelled', version }, {
            ...keep, jobId: jobId('chg', packId, old.code, ref, createHash('sha1').update(version).digest('hex').slice(0, 12)),
          });
        }
      }
      if (settings.digestTime) await this.scheduleDigests(packId);
    },

    async scheduleDigests(packId) {
      if (!settings.digestTime) return;
      const event = await deps.agenda.get(packId);
      const now = deps.clock.now().getTime();
      for (const day of event.days) {
        const at = localInstant(event, day.date, settings.digestTime).getTime();
        if (at + graceMs < now) continue;
        await queue.add('digest', { kind: 'digest', packId, day: day.date }, { ...keep, jobId: jobId('digest', packId, day.date, settings.digestTime), delay: Math.max(0, at - now) });
      }
    },

    close: () => queue.close(),
  };
}
