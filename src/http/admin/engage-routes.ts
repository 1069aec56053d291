/**
 * Feedback (results per session, CSV, settings, the survey), questions to the panel (moderation
 * and the projector's read-only feed) and check-in at the desk, per pack.
 */
import type { Request } from 'express';
import { attendance } from '../../checkin/checkin';
import type { Delegate } from '../../event/delegates';
import { summarise } from '../../feedback/feedback';
import { surveyResults } from '../../feedback/survey';
import { AppError } from '../../kernel/errors';
import { localDate } from '../../kernel/local-time';
import { toCsv } from '../../kernel/text/csv';
import { delegateSearchTerm } from '../../organiser/delegate-search';
import { projectorView } from '../../questions/questions';
import type { AdminDeps, EngageAdmin } from './admin-deps';
import { createAuthenticator } from './auth';
import { phoneParam } from './delegate-routes';
import { CheckinBody, CheckinSearchQuery, FeedbackSettingsBody, ProjectorQuery, ProjectorTokenQuery, QuestionListQuery, QuestionPatchBody, SurveySendBody } from './engage-schemas';
import { route, sendCsv, type RouteDef } from './route';

const NEEDS = 'Feedback, questions and check-in are not running on this gateway.';

export function engageRoutes(deps: AdminDeps): RouteDef[] {
  const engage = (): EngageAdmin => {
    if (!deps.engage) throw new AppError('FEEDBACK.UNAVAILABLE', NEEDS);
    return deps.engage;
  };
  const session = async (pack: string, code: string | undefined) => {
    const event = await deps.agenda.get(pack);
    const found = event.sessions.find((s) => s.code === (code ?? '').toUpperCase());
    if (!found) throw new AppError('SESSION.NOT_FOUND', `No session ${code ?? ''} in the agenda of ${pack}.`);
    return { event, session: found };
  };
  const auth = createAuthenticator(deps.tokens, deps.auth);
  const today = async (pack: string): Promise<string> => localDate(deps.clock.now(), (await deps.agenda.get(pack)).utcOffset);
  const withCheckin = async (pack: string, day: string, delegate: Delegate) => {
    const entry = await engage().checkins.get(pack, delegate.phone, day);
    return { ...delegate, checkedIn: entry !== null, checkedInAt: entry?.at ?? null };
  };
  const U = ['FEEDBACK.UNAVAILABLE'] as const;

  return [
    // ---- feedback
    route({
      method: 'get', path: '/feedback/settings', tag: 'feedback', access: 'read', perPack: true, errors: U,
      summary: 'Who is asked to rate each session when it ends (subscribers, cohort or off), per pack and per session',
      handle: async ({ pack }) => engage().feedback.settings(pack),
    }),
    route({
      method: 'put', path: '/feedback/settings', tag: 'feedback', access: 'write', perPack: true, body: FeedbackSettingsBody, errors: [...U, 'SESSION.NOT_FOUND'],
      summary: 'Choose who is asked to rate sessions (the default, and per-session overrides)',
      handle: async ({ pack, body }) => {
        const event = await deps.agenda.get(pack);
        for (const code of Object.keys(body.sessions)) if (!event.sessions.some((s) => s.code === code)) throw new AppError('SESSION.NOT_FOUND', `No session ${code} in the agenda of ${pack}.`);
        return engage().feedback.saveSettings(pack, body);
      },
    }),
    route({
      method: 'get', path: '/feedback/sessions', tag: 'feedback', access: 'read', perPack: true, errors: U,
      summary: 'Ratings of every session: count, average, distribution 1-5 and comments (no phone numbers)',
      handle: async ({ pack }) => {
        const event = await deps.agenda.get(pack);
        const items = [];
        for (const s of event.sessions) items.push({ ...summarise(s.code, await engage().feedback.ratings(pack, s.code)), title: s.short });
        return { items };
      },
    }),
    route({
      method: 'get', path: '/feedback/sessions/:code', tag: 'feedback', access: 'read', perPack: true, errors: [...U, 'SESSION.NOT_FOUND'],
      summary: "One session's ratings: count, average, distribution 1-5 and comments",
      handle: async ({ pack, params }) => {
        const { session: s } = await session(pack, params.code);
        return { ...summarise(s.code, await engage().feedback.ratings(pack, s.code)), title: s.short };
      },
    }),
    route({
      method: 'get', path: '/feedback.csv', tag: 'feedback', access: 'read', perPack: true, errors: U, produces: 'text/csv',
      summary: 'Every rating as CSV (session, rating, comment, time, language, channel; spreadsheet-safe, no phone numbers)',
      handle: async ({ pack, res }) => {
        const event = await deps.agenda.get(pack);
        const rows: Array<Array<string | number>> = [];
        for (const s of event.sessions)
          for (const r of (await engage().feedback.ratings(pack, s.code)).sort((a, b) => a.at.localeCompare(b.at)))
            rows.push([s.code, s.short.en, r.rating, r.comment, r.at, r.lang, r.channel]);
        sendCsv(res, `feedback-${pack}.csv`, toCsv(['session', 'title', 'rating', 'comment', 'at', 'language', 'channel'], rows));
      },
    }),
    route({
      method: 'get', path: '/survey', tag: 'feedback', access: 'read', perPack: true, errors: U,
      summary: 'End-of-conference survey: each question with count, average and distribution; people who started and completed it',
      handle: async ({ pack }) => {
        const loaded = engage().pack(pack);
        if (!loaded) throw new AppError('PACK.NOT_FOUND', `No pack ${pack}.`);
        return surveyResults(loaded, await engage().feedback.surveyAnswers(pack));
      },
    }),
    route({
      method: 'get', path: '/survey.csv', tag: 'feedback', access: 'read', perPack: true, errors: U, produces: 'text/csv',
      summary: 'Survey results as CSV: one row per question (both languages, count, average, answers per value; spreadsheet-safe)',
      handle: async ({ pack, res }) => {
        const loaded = engage().pack(pack);
        if (!loaded) throw new AppError('PACK.NOT_FOUND', `No pack ${pack}.`);
        const results = surveyResults(loaded, await engage().feedback.surveyAnswers(pack));
        const rows = results.questions.map((q) => [q.number, q.sw, q.en, q.count, q.average ?? '', ...['1', '2', '3', '4', '5'].map((v) => q.distribution[v] ?? 0)]);
        sendCsv(res, `survey-${pack}.csv`, toCsv(['question', 'sw', 'en', 'answers', 'average', 'answered_1', 'answered_2', 'answered_3', 'answered_4', 'answered_5'], rows));
      },
    }),
    route({
      method: 'post', path: '/survey/send', tag: 'feedback', access: 'write', perPack: true, body: SurveySendBody, errors: U,
      summary: 'Send the survey\'s first question by SMS to every registered (or checked-in) delegate who has not started it; each digit reply brings the next',
      handle: async ({ pack, body }) => engage().sendSurvey(pack, body.audience),
    }),
    // ---- questions to the panel
    route({
      method: 'get', path: '/questions/:code', tag: 'questions', access: 'read', perPack: true, query: QuestionListQuery, errors: [...U, 'SESSION.NOT_FOUND'],
      summary: "A session's questions, oldest first (the moderation queue), optionally of one status",
      handle: async ({ pack, params, query }) => {
        const { session: s } = await session(pack, params.code);
        const items = await engage().questions.list(pack, s.code);
        return { session: s.code, items: query.status ? items.filter((q) => q.status === query.status) : items };
      },
    }),
    route({
      method: 'patch', path: '/questions/:code/:id', tag: 'questions', access: 'write', perPack: true, body: QuestionPatchBody, errors: [...U, 'SESSION.NOT_FOUND', 'QUESTION.NOT_FOUND'],
      summary: 'Approve (show on the projector), hide, mark answered, or return a question to pending',
      handle: async ({ pack, params, body }) => {
        const { session: s } = await session(pack, params.code);
        const updated = await engage().questions.setStatus(pack, s.code, params.id ?? '', body.status, deps.clock.now());
        if (!updated) throw new AppError('QUESTION.NOT_FOUND', `No question ${params.id ?? ''} in session ${s.code}.`);
        return updated;
      },
    }),
    route({
      method: 'post', path: '/questions/:code/projector-token', tag: 'questions', access: 'write', perPack: true, query: ProjectorTokenQuery, errors: [...U, 'SESSION.NOT_FOUND'],
      summary: "The session's projector link: a read token for its approved questions only (fresh=true replaces it)",
      handle: async ({ pack, params, query }) => {
        const { session: s } = await session(pack, params.code);
        const token = await engage().questions.projectorToken(pack, s.code, query.fresh === 'true');
        return { session: s.code, token, url: `/projector/#pack=${encodeURIComponent(pack)}&session=${s.code}&token=${token}` };
      },
    }),
    route({
      method: 'get', path: '/projector/:code', tag: 'questions', access: 'public', perPack: true, query: ProjectorQuery, errors: [...U, 'SESSION.NOT_FOUND', 'AUTH.UNAUTHENTICATED', 'AUTH.FORBIDDEN'],
      headers: [{ name: 'X-Projector-Token', required: false, description: "the session's projector token (or Authorization: Bearer with a viewer or admin token)" }],
      summary: "The projector's feed: the session's approved questions (text and time only), for the read-only page at /projector/",
      handle: async ({ pack, params, query, req }) => {
        const { session: s } = await session(pack, params.code);
        await allowProjector(req, pack, s.code, query.token);
        return { session: s.code, title: s.short, questions: projectorView(await engage().questions.list(pack, s.code)) };
      },
    }),
    // ---- check-in
    route({
      method: 'get', path: '/checkin/search', tag: 'checkin', access: 'read', perPack: true, query: CheckinSearchQuery, errors: U,
      summary: "Find delegates by registration code, phone (any local form) or name, each with today's check-in",
      handle: async ({ pack, query }) => {
        const day = await today(pack);
        const byCode = await deps.delegates.findByCode(pack, query.q.trim().toUpperCase().replace(/[^A-Z0-9]/g, ''));
        // A code match comes first; a name that happens to spell a code still finds the others.
        const searched = (await deps.delegates.list(pack, { search: delegateSearchTerm(query.q), limit: 20 })).items;
        const found = byCode ? [byCode, ...searched.filter((d) => d.phone !== byCode.phone)] : searched;
        const items = [];
        for (const d of found.slice(0, 20)) items.push(await withCheckin(pack, day, d));
        return { day, items };
      },
    }),
    route({
      method: 'post', path: '/checkin', tag: 'checkin', access: 'write', perPack: true, body: CheckinBody, errors: [...U, 'VALIDATION.PHONE', 'DELEGATE.NOT_FOUND'],
      responses: { '200': 'checked in (created false: already checked in today; the first time stands)' },
      summary: 'Check a delegate in for today by phone or registration code; idempotent',
      handle: async ({ pack, body }) => {
        const delegate = body.phone !== undefined ? await deps.delegates.get(pack, phoneParam(body.phone)) : await deps.delegates.findByCode(pack, (body.code ?? '').toUpperCase().replace(/[^A-Z0-9]/g, ''));
        if (!delegate) throw new AppError('DELEGATE.NOT_FOUND', 'No delegate is registered with that phone number or registration code.');
        const day = await today(pack);
        const result = await engage().checkins.checkIn(pack, { phone: delegate.phone, day, at: deps.clock.now().toISOString(), by: 'desk' });
        return { delegate: { ...delegate, checkedIn: true, checkedInAt: result.at }, day, created: result.created, at: result.at };
      },
    }),
    route({
      method: 'get', path: '/checkin/attendance', tag: 'checkin', access: 'read', perPack: true, errors: U,
      summary: 'Delegates checked in per day (every event day and any other day with a check-in), and at least once',
      handle: async ({ pack }) => {
        const event = await deps.agenda.get(pack);
        const registered = new Set((await deps.delegates.list(pack)).items.map((d) => d.phone));
        return attendance(engage().checkins, pack, event.days.map((d) => d.date), registered);
      },
    }),
  ];

  /** A projector token for the session, or a viewer/admin bearer token; throws otherwise. */
  async function allowProjector(req: Request, pack: string, code: string, queryToken: string | undefined): Promise<void> {
    const token = req.get('x-projector-token') ?? queryToken;
    if (token && (await engage().questions.checkProjectorToken(pack, code, token))) return;
    if (req.get('authorization')) {
      const caller = await auth.authorise(req, 'read');
      if (caller?.packs && !caller.packs.includes(pack)) throw new AppError('AUTH.FORBIDDEN', 'This token may not use that pack.');
      return;
    }
    req.res?.setHeader('WWW-Authenticate', 'Bearer realm="kiungo"');
    throw new AppError('AUTH.UNAUTHENTICATED', "Open the session's projector link (it carries the token), or send a viewer token.");
  }
}
