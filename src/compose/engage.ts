/** Feedback (ratings, requests after each session, the survey), questions to the panel and check-in, for every pack. */
import { createRedisCheckInStore } from '../checkin/checkin.redis';
import { AppError } from '../kernel/errors';
import type { CheckInStore } from '../checkin/checkin';
import type { EventPack } from '../event/event-pack';
import type { EventData } from '../event/event-schema';
import { createRedisFeedbackStore } from '../feedback/feedback.redis';
import type { FeedbackStore } from '../feedback/feedback';
import { createFeedbackRequests, startFeedbackWorker, type FeedbackRequests } from '../feedback/feedback-requests.bullmq';
import { sendSurvey, type SurveyAudience } from '../feedback/survey';
import type { ErasableStores } from '../privacy/erasable';
import { createRedisQuestionStore } from '../questions/questions.redis';
import type { QuestionStore } from '../questions/questions';
import type { OutboundMessages } from '../sms/outbound/outbound-port';
import type { EventStores } from './event';
import type { Closer, Resources } from './resources';

export interface Engage {
  feedback: FeedbackStore;
  questions: QuestionStore;
  checkins: CheckInStore;
  requests: FeedbackRequests;
  /** The stores erasure runs over (ratings, questions, check-ins). */
  erasables: ErasableStores;
  sendSurvey(packId: string, audience: SurveyAudience): ReturnType<typeof sendSurvey>;
  /** Schedules the rating requests of the pack's new or moved sessions; logs, never throws. */
  onAgendaChanged(packId: string, before: EventData, after: EventData): Promise<void>;
  /** Starts the request worker and schedules every pack's requests; resolves its stop function. */
  startWorker(): Promise<Closer>;
}

export function composeEngage(r: Resources, packs: readonly EventPack[], stores: EventStores, outbound: OutboundMessages): Engage {
  const { logger, clock, config } = r;
  const feedback = createRedisFeedbackStore(r.redis, r.keys);
  const questions = createRedisQuestionStore(r.redis, r.keys);
  const checkins = createRedisCheckInStore(r.redis, r.keys);
  const requests = createFeedbackRequests({ connection: r.connect('feedback-queue'), keys: r.keys, agenda: stores.agenda, clock, logger });
  r.onClose(() => requests.close());
  const schedule = (packId: string): Promise<void> =>
    requests.scheduleAll(packId).then(() => undefined, (error: unknown) => logger.warn({ err: error, pack: packId }, 'feedback requests not scheduled'));
  return {
    feedback, questions, checkins, requests,
    erasables: { ratings: feedback, questions, checkIns: checkins },
    sendSurvey(packId, audience) {
      const pack = packs.find((p) => p.id === packId);
      if (!pack) throw new AppError('PACK.NOT_FOUND', `No pack ${packId} on this gateway.`);
      return sendSurvey(pack, audience, { delegates: stores.delegates, feedback, outbound, checkedIn: (id) => checkins.everyone(id), defaultLanguage: config.locale.defaultLanguage });
    },
    onAgendaChanged: (packId) => schedule(packId),
    async startWorker() {
      const stop = startFeedbackWorker(r.connect('feedback-worker', 'blocking'), r.keys, logger, {
        packs, agenda: stores.agenda, feedback, reminders: stores.reminders, delegates: stores.delegates, outbound, clock, defaultLanguage: config.locale.defaultLanguage,
      });
      for (const pack of packs) await schedule(pack.id);
      return stop;
    },
  };
}
