/** The pure parts of feedback: reading a rating SMS, a bare digit, the results, the cohort of a session, the survey's texts and results. */
import { join } from 'node:path';
import { cohortOf, sessionPhase, summarise, type Rating } from '../../src/feedback/feedback';
import { surveyQuestions, surveyQuestionText, surveyResults } from '../../src/feedback/survey';
import { loadPacks } from '../../src/packs/load';
import { parseRatingArgs } from '../../src/sms/inbound/commands/rate';
import { isDigitReply } from '../../src/sms/inbound/commands/digit-reply';
import type { Delegate } from '../../src/event/delegates';

const pack = loadPacks(join(__dirname, '../../flows')).packs.find((p) => p.id === 'egov2015');
if (!pack) throw new Error('no sample pack');
const event = pack.event;
const session = (code: string) => {
  const found = event.sessions.find((s) => s.code === code);
  if (!found) throw new Error(code);
  return found;
};

describe('a rating SMS', () => {
  it.each([
    ['S105 4 Mada nzuri', { code: 'S105', rating: 4, comment: 'Mada nzuri' }],
    ['s105, 4. vizuri  sana', { code: 's105', rating: 4, comment: 'vizuri sana' }],
    ['S105 4/5', { code: 'S105', rating: 4, comment: '' }],
    ['S-105 5', { code: 'S-105', rating: 5, comment: '' }],
    ['105 2', { code: '105', rating: 2, comment: '' }],
    ['S105 9', { code: 'S105', rating: null, comment: '' }],
    ['S105 0 mbaya', { code: 'S105', rating: null, comment: 'mbaya' }],
  ])('%s', (args, expected) => expect(parseRatingArgs(args)).toEqual(expected));

  it.each(['', 'S105', 'nzuri sana', 'S105 nzuri'])('%j is not one', (args) => expect(parseRatingArgs(args)).toBeNull());
});

describe('a bare digit', () => {
  it.each(['4', ' 4 ', '4.', '0', '9'])('%j is one', (text) => expect(isDigitReply(text)).toBe(true));
  it.each(['44', '4 nzuri', 'S105', '', 'four'])('%j is not', (text) => expect(isDigitReply(text)).toBe(false));
});

describe('results', () => {
  const rating = (value: number, comment = '', at = '2015-08-17T13:00:00.000Z'): Rating => ({ session: 'S105', phone: `+2557130000${value}`, rating: value, comment, at, lang: 'sw', channel: 'sms' });

  it('count, average to two decimals, distribution, comments newest first and no phone numbers', () => {
    const result = summarise('S105', [rating(5, 'Bora', '2015-08-17T13:00:00.000Z'), rating(4), rating(4, 'Nzuri', '2015-08-17T14:00:00.000Z')]);
    expect(result).toEqual({ session: 'S105', count: 3, average: 4.33, distribution: { 1: 0, 2: 0, 3: 0, 4: 2, 5: 1 }, comments: [{ rating: 4, comment: 'Nzuri', at: '2015-08-17T14:00:00.000Z' }, { rating: 5, comment: 'Bora', at: '2015-08-17T13:00:00.000Z' }] });
    expect(JSON.stringify(result)).not.toContain('+255');
    expect(summarise('S105', [])).toMatchObject({ count: 0, average: null });
  });
});

describe('sessions', () => {
  it('are before, running or over at an instant', () => {
    const s105 = session('S105'); // 17/8 14:00-15:30 (+03:00)
    expect(sessionPhase(event, s105, new Date('2015-08-17T10:59:59Z'))).toBe('before');
    expect(sessionPhase(event, s105, new Date('2015-08-17T11:00:00Z'))).toBe('running');
    expect(sessionPhase(event, s105, new Date('2015-08-17T12:30:00Z'))).toBe('over');
  });

  it("the cohort of a session is the cohorts whose days include the session's day; a day no cohort claims is everyone's", () => {
    const people = [{ phone: 'a', cohort: '1' }, { phone: 'b', cohort: '2' }] as Delegate[];
    const day1 = event.sessions.find((s) => s.day === '2015-08-17');
    const day3 = event.sessions.find((s) => s.day === '2015-08-19');
    if (!day1 || !day3) throw new Error('sample days');
    expect(cohortOf(event, day1, people).map((d) => d.phone)).toEqual(['a']);
    expect(cohortOf(event, day3, people).map((d) => d.phone)).toEqual(['b']);
    expect(cohortOf({ ...event, cohorts: [] }, day1, people)).toHaveLength(2);
  });
});

describe('the survey', () => {
  it('has 3 to 5 questions in each language, the first with the intro, each numbered', () => {
    for (const lang of ['sw', 'en'] as const) {
      const questions = surveyQuestions(pack, lang);
      expect(questions.length).toBeGreaterThanOrEqual(3);
      expect(questions.length).toBeLessThanOrEqual(5);
    }
    expect(surveyQuestionText(pack, 'sw', 1)).toMatch(/^Tathmini ya .*\n1\/4 Je, mkutano kwa ujumla ulikuwaje\?$/);
    expect(surveyQuestionText(pack, 'en', 3)).toBe('3/4 How was the organisation (venue, timing, registration)?');
  });

  it('adds up answers per question; completed means every question answered', () => {
    const results = surveyResults(pack, [{ answers: [5, 4, 3, 4] }, { answers: [3, null] }, { answers: [] }]);
    expect(results).toMatchObject({ started: 2, completed: 1 });
    expect(results.questions[0]).toMatchObject({ number: 1, count: 2, average: 4, distribution: { 3: 1, 5: 1 } });
    expect(results.questions[1]).toMatchObject({ count: 1, average: 4 });
  });
});
