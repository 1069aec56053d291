/** Request schemas of the feedback, question and check-in routes (the OpenAPI document is built from them). */
import { z } from 'zod';
import { FEEDBACK_AUDIENCES } from '../../feedback/feedback';
import { QUESTION_STATUSES } from '../../questions/questions';

const SessionCode = z.string().regex(/^[A-Z0-9]{2,8}$/, 'a session code such as S105');
const Audience = z.enum(FEEDBACK_AUDIENCES);

export const FeedbackSettingsBody = z
  .object({
    default: Audience.describe('who is asked to rate a session when it ends: its reminder subscribers, its cohort (everyone on that day), or nobody'),
    sessions: z.record(SessionCode, Audience).default({}).describe('per-session choices that override the default'),
  })
  .strict();

export const SurveySendBody = z
  .object({ audience: z.enum(['registered', 'checked_in']).default('registered').describe('every registered delegate, or those checked in on any day') })
  .strict();

export const QuestionListQuery = z.object({ status: z.enum(QUESTION_STATUSES).optional() }).strict();

export const QuestionPatchBody = z.object({ status: z.enum(QUESTION_STATUSES) }).strict();

export const ProjectorTokenQuery = z.object({ fresh: z.enum(['true', 'false']).optional().describe('true: replace the token (the old link stops working)') }).strict();

export const ProjectorQuery = z.object({ token: z.string().max(100).optional().describe('the projector token, when not sent as X-Projector-Token') }).strict();

export const CheckinSearchQuery = z.object({ q: z.string().min(1).max(100).describe('registration code, phone (any local form) or part of a name') }).strict();

export const CheckinBody = z
  .object({
    phone: z.string().min(1).max(40).optional().describe('any common form: 0712345678, +255712345678'),
    code: z.string().min(1).max(20).optional().describe('registration code'),
  })
  .strict()
  .refine((body) => (body.phone === undefined) !== (body.code === undefined), { message: 'give phone or code (one of them)' });
