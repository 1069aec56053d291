/**
 * Feedback on sessions (tathmini): 1-5 ratings with an optional comment, the organiser's choice
 * of who is asked after a session ends, and the short end-of-conference survey. The port is
 * here; `feedback.redis.ts` stores it.
 */
import type { EventData, EventSession } from '../event/event-schema';
import type { Delegate } from '../event/delegates';
import { sessionEnd, sessionStart } from '../event/session-time';
import type { Language } from '../kernel/language';

/** Who gets the rating request when a session ends. */
export const FEEDBACK_AUDIENCES = ['subscribers', 'cohort', 'off'] as const;
export type FeedbackAudience = (typeof FEEDBACK_AUDIENCES)[number];

export interface FeedbackSettings {
  /** For every session without its own choice. */
  default: FeedbackAudience;
  /** Session code -> its own choice. */
  sessions: Record<string, FeedbackAudience>;
}

export const DEFAULT_FEEDBACK_SETTINGS: FeedbackSettings = { default: 'subscribers', sessions: {} };

export type RatingChannel = 'sms' | 'ussd';

export interface Rating {
  session: string;
  phone: string;
  rating: number;
  comment: string;
  /** ISO time of the latest rating (the latest counts). */
  at: string;
  lang: Language;
  channel: RatingChannel;
  /** The inbound SMS that carried it: the same message stored again changes nothing. */
  messageId?: string;
  /** True when it replaced an earlier rating by the same phone (set by the store). */
  replaced?: boolean;
}

/** Longest comment kept with a rating (the rest is cut, and the reply says so). */
export const COMMENT_MAX = 300;

export interface FeedbackStore {
  /** Stores (or replaces) one phone's rating of a session; `updated` when it replaced an earlier one (a re-run of the same message answers as the first run did). */
  rate(packId: string, rating: Rating): Promise<{ updated: boolean }>;
  ratings(packId: string, sessionCode: string): Promise<Rating[]>;
  /** Remembers that a request for `sessionCode` went to `phone` (a bare digit then answers it). */
  markRequested(packId: string, phone: string, sessionCode: string): Promise<void>;
  /** The session of the latest request to `phone` still within the reply window, or null. */
  pendingRequest(packId: string, phone: string): Promise<string | null>;
  hasRated(packId: string, phone: string, sessionCode: string): Promise<boolean>;
  settings(packId: string): Promise<FeedbackSettings>;
  saveSettings(packId: string, settings: FeedbackSettings): Promise<FeedbackSettings>;
  /**
   * Where `phone` is in the survey: the question (1-based) it answers next, or `done`, with the id
   * of the inbound message that brought it there (so a re-run of that message replays its reply
   * instead of answering the next question); null outside the survey.
   */
  surveyStep(packId: string, phone: string): Promise<SurveyPosition | null>;
  setSurveyStep(packId: string, phone: string, position: SurveyPosition | null): Promise<void>;
  /** Records answer `step` (1-based) of `phone`. */
  surveyAnswer(packId: string, phone: string, step: number, answer: number): Promise<void>;
  surveyAnswers(packId: string): Promise<Array<{ phone: string; answers: Array<number | null> }>>;
}

export interface SurveyPosition {
  step: number | 'done';
  /** Inbound SMS id that moved the phone here ('' when the survey was sent). */
  by: string;
}

/** The audience chosen for `sessionCode`. */
export function audienceFor(settings: FeedbackSettings, sessionCode: string): FeedbackAudience {
  return settings.sessions[sessionCode] ?? settings.default;
}

/** Where a session stands at `now`, for what a delegate may send about it. */
export type SessionPhase = 'before' | 'running' | 'over';

export function sessionPhase(event: EventData, session: EventSession, now: Date): SessionPhase {
  if (now.getTime() < sessionStart(event, session).getTime()) return 'before';
  return now.getTime() < sessionEnd(event, session).getTime() ? 'running' : 'over';
}

/**
 * Delegates of the cohort(s) attending `session`: those whose cohort lists the session's day
 * (or whose cohort the day names). A day no cohort claims is everyone's.
 */
export function cohortOf(event: EventData, session: EventSession, delegates: readonly Delegate[]): Delegate[] {
  const day = event.days.find((d) => d.date === session.day);
  const cohorts = new Set(event.cohorts.filter((c) => c.days.includes(session.day) || day?.cohort === c.id).map((c) => c.id));
  return cohorts.size === 0 ? [...delegates] : delegates.filter((d) => cohorts.has(d.cohort));
}

export interface SessionResults {
  session: string;
  count: number;
  /** Mean rating to two decimals; null without ratings. */
  average: number | null;
  /** Ratings per value, "1" to "5". */
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  comments: Array<{ rating: number; comment: string; at: string }>;
}

/** Count, average, distribution and comments (newest first) of one session's ratings. Phones stay out. */
export function summarise(sessionCode: string, ratings: readonly Rating[]): SessionResults {
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  let sum = 0;
  for (const r of ratings) {
    distribution[String(r.rating) as keyof typeof distribution] += 1;
    sum += r.rating;
  }
  const comments = ratings.filter((r) => r.comment !== '').sort((a, b) => b.at.localeCompare(a.at)).map(({ rating, comment, at }) => ({ rating, comment, at }));
  return { session: sessionCode, count: ratings.length, average: ratings.length ? Math.round((sum / ratings.length) * 100) / 100 : null, distribution, comments };
}
