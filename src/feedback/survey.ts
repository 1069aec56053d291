/**
 * The end-of-conference survey by SMS: 3 to 5 questions from the pack's catalogue
 * (`sms.survey_q1`..`sms.survey_q5`), sent one at a time and answered by one digit (1-5). The
 * first message carries `sms.survey_intro`; each answer brings the next question, the last one
 * `sms.survey_done`.
 */
import { renderMessage } from '../event/catalogue';
import type { DelegateRepository } from '../event/delegates';
import type { EventPack } from '../event/event-pack';
import type { Language } from '../kernel/language';
import type { OutboundMessages } from '../sms/outbound/outbound-port';
import type { FeedbackStore } from './feedback';
import { phoneRef } from './feedback-requests.bullmq';

export const SURVEY_MAX_QUESTIONS = 5;

/** The survey's questions in `lang` (those the pack defines, in order). */
export function surveyQuestions(pack: Pick<EventPack, 'messages' | 'defaultLanguage'>, lang: Language): string[] {
  const out: string[] = [];
  for (let n = 1; n <= SURVEY_MAX_QUESTIONS; n++) {
    const text = pack.messages[lang][`sms.survey_q${n}`] ?? pack.messages[pack.defaultLanguage][`sms.survey_q${n}`];
    if (text === undefined) break;
    out.push(text);
  }
  return out;
}

/** The text of question `step` (1-based), numbered "n/N", with the intro before the first. */
export function surveyQuestionText(pack: EventPack, lang: Language, step: number): string {
  const questions = surveyQuestions(pack, lang);
  const question = `${step}/${questions.length} ${questions[step - 1] ?? ''}`;
  return step === 1 ? `${renderMessage(pack, lang, 'sms.survey_intro')}\n${question}` : question;
}

export interface SurveyResults {
  questions: Array<{ number: number; sw: string; en: string; count: number; average: number | null; distribution: Record<string, number> }>;
  /** People who answered every question. */
  completed: number;
  /** People who answered at least one. */
  started: number;
}

export function surveyResults(pack: EventPack, answers: ReadonlyArray<{ answers: ReadonlyArray<number | null> }>): SurveyResults {
  const sw = surveyQuestions(pack, 'sw');
  const en = surveyQuestions(pack, 'en');
  const questions = sw.map((text, index) => {
    const given = answers.map((a) => a.answers[index]).filter((v): v is number => typeof v === 'number');
    const distribution: Record<string, number> = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    for (const value of given) distribution[String(value)] = (distribution[String(value)] ?? 0) + 1;
    const average = given.length ? Math.round((given.reduce((s, v) => s + v, 0) / given.length) * 100) / 100 : null;
    return { number: index + 1, sw: text, en: en[index] ?? text, count: given.length, average, distribution };
  });
  const completed = answers.filter((a) => sw.every((_, i) => typeof a.answers[i] === 'number')).length;
  const started = answers.filter((a) => a.answers.some((v) => typeof v === 'number')).length;
  return { questions, completed, started };
}

export interface SurveySendDeps {
  delegates: DelegateRepository;
  feedback: FeedbackStore;
  outbound: OutboundMessages;
  /** Phones checked in on any day (for the `checked_in` audience). */
  checkedIn: (packId: string) => Promise<Set<string>>;
  defaultLanguage: Language;
}

export type SurveyAudience = 'registered' | 'checked_in';

/**
 * Sends the first question to every delegate of the audience who has not started the survey.
 * One survey per phone: the idempotency key has no date, so sending again reaches newcomers only.
 */
export async function sendSurvey(pack: EventPack, audience: SurveyAudience, deps: SurveySendDeps): Promise<{ audience: number; queued: number; skipped: number; alreadyStarted: number }> {
  const everyone = (await deps.delegates.list(pack.id)).items;
  const present = audience === 'checked_in' ? await deps.checkedIn(pack.id) : null;
  const started = new Set((await deps.feedback.surveyAnswers(pack.id)).map((a) => a.phone));
  const members = present ? everyone.filter((d) => present.has(d.phone)) : everyone;
  let queued = 0;
  let skipped = 0;
  let alreadyStarted = 0;
  for (const delegate of members) {
    if (started.has(delegate.phone)) {
      alreadyStarted++;
      continue;
    }
    const lang = delegate.language ?? deps.defaultLanguage;
    const result = await deps.outbound.enqueue({ to: delegate.phone, text: surveyQuestionText(pack, lang, 1), purpose: 'reminder', idempotencyKey: `survey|${pack.id}|${phoneRef(pack.id, delegate.phone)}`, packId: pack.id });
    if (result.state === 'queued') {
      await deps.feedback.setSurveyStep(pack.id, delegate.phone, { step: 1, by: '' });
      queued++;
    } else skipped++;
  }
  return { audience: members.length, queued, skipped, alreadyStarted };
}
