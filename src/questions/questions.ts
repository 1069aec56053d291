/**
 * Questions to the panel: delegates send them (SMS `SWALI S403 ...`, USSD), organisers moderate
 * them per session (approve, hide, mark answered) and a projector page shows the approved ones.
 */
import type { Language } from '../kernel/language';

export const QUESTION_STATUSES = ['pending', 'approved', 'hidden', 'answered'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

/** Longest question taken (a projector line stays readable; an SMS of 2 segments holds it). */
export const QUESTION_MAX = 280;
/** Shortest question that says something. */
export const QUESTION_MIN = 3;

export interface Question {
  id: string;
  session: string;
  phone: string;
  /** The asker's name when registered, '' otherwise (the projector never shows it). */
  name: string;
  text: string;
  lang: Language;
  channel: 'sms' | 'ussd';
  status: QuestionStatus;
  /** ISO times. */
  at: string;
  updatedAt: string;
}

export type NewQuestion = Omit<Question, 'id' | 'status' | 'updatedAt'>;

export interface QuestionStore {
  /** Adds a question; with `messageId`, the same message adds it once (a re-run returns the first). */
  add(packId: string, question: NewQuestion, messageId?: string): Promise<Question>;
  /** Every question of a session, oldest first. */
  list(packId: string, sessionCode: string): Promise<Question[]>;
  /** Changes a question's status; null when there is no such question. */
  setStatus(packId: string, sessionCode: string, id: string, status: QuestionStatus, at: Date): Promise<Question | null>;
  /** The session's projector read token, made on first use. */
  projectorToken(packId: string, sessionCode: string, fresh?: boolean): Promise<string>;
  /** True when `token` is the session's projector token (constant-time compare). */
  checkProjectorToken(packId: string, sessionCode: string, token: string): Promise<boolean>;
}

/** A question's text as kept: control characters and runs of spaces folded, trimmed. */
export function cleanQuestion(text: string): string {
  return text.normalize('NFKC').replace(/\p{Cc}+/gu, ' ').replace(/\s+/g, ' ').trim();
}

/** What the projector may show: the text and when, never who. */
export function projectorView(questions: readonly Question[]): Array<Pick<Question, 'id' | 'text' | 'at'>> {
  return questions.filter((q) => q.status === 'approved').map(({ id, text, at }) => ({ id, text, at }));
}
