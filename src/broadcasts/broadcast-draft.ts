/**
 * A draft as the organiser sent it: checked before anything is resolved, then described (the
 * frozen facts of the broadcast: when it sends, how many in which language, in how many waves).
 */
import { LANGUAGES, type Language } from '../kernel/language';
import { AppError } from '../kernel/errors';
import { localDateTime } from '../kernel/local-time';
import type { AudienceMember } from './audience';
import type { BroadcastDraft } from './broadcast-types';
import type { BroadcastMeta } from './broadcasts.redis';
import { releaseTime, type QuietWindow } from './quiet-hours';

/** Throws VALIDATION.FAILED for a draft with no text, no audience or an unreadable `sendAt`. */
export function validateDraft(draft: BroadcastDraft): void {
  if (!draft.messages.sw?.trim() && !draft.messages.en?.trim()) throw new AppError('VALIDATION.FAILED', 'A broadcast needs a message in at least one language.');
  const a = draft.audience;
  if (!a.all && !a.cohorts?.length && !a.institutionTypes?.length && !a.sessions?.length && !a.phones?.length && !a.notCheckedIn) throw new AppError('VALIDATION.FAILED', 'Choose an audience: everyone, a cohort, an institution type, a session, a list of numbers or those not checked in.');
  if (draft.sendAt && Number.isNaN(new Date(draft.sendAt).getTime())) throw new AppError('VALIDATION.FAILED', 'sendAt is not a valid time.');
  if (draft.expiresAt && Number.isNaN(new Date(draft.expiresAt).getTime())) throw new AppError('VALIDATION.FAILED', 'expiresAt is not a valid time.');
  if (draft.expiresAt && draft.validForMinutes !== undefined) throw new AppError('VALIDATION.FAILED', 'Give expiresAt or validForMinutes, not both.');
  if (draft.validForMinutes !== undefined && !(Number.isInteger(draft.validForMinutes) && draft.validForMinutes >= 1 && draft.validForMinutes <= 10_080)) {
    throw new AppError('VALIDATION.FAILED', 'validForMinutes must be a whole number from 1 to 10080 (a week).');
  }
}

/** The moment after which nothing more of the broadcast is sent, or undefined for none. Throws VALIDATION.FAILED when it is not after the send time. */
export function expiryOf(draft: BroadcastDraft, sendAt: Date): Date | undefined {
  const expiry = draft.expiresAt ? new Date(draft.expiresAt) : draft.validForMinutes !== undefined ? new Date(sendAt.getTime() + draft.validForMinutes * 60_000) : undefined;
  if (expiry && expiry.getTime() <= sendAt.getTime()) {
    throw new AppError('VALIDATION.FAILED', `expiresAt (${expiry.toISOString()}) is not after the send time (${sendAt.toISOString()}, after any quiet-hours hold): nothing could go out.`);
  }
  return expiry;
}

/** What `describeBroadcast` needs besides the draft. */
export interface DescribeInput {
  id: string;
  packId: string;
  members: ReadonlyArray<Pick<AudienceMember, 'lang'>>;
  now: Date;
  waveSize: number;
  /** Label used for {session}. */
  session: string;
  settings: { quietHours: QuietWindow | null; timeZone: string };
}

/** The broadcast's description: a past `sendAt` means now, and quiet hours hold it unless urgent. */
export function describeBroadcast(draft: BroadcastDraft, { id, packId, members, now, waveSize, session, settings }: DescribeInput): BroadcastMeta {
  const requested = draft.sendAt ? new Date(draft.sendAt) : now;
  const sendAt = releaseTime(requested.getTime() < now.getTime() ? now : requested, settings.quietHours, settings.timeZone, draft.urgent === true);
  const byLanguage = Object.fromEntries(LANGUAGES.map((l) => [l, 0])) as Record<Language, number>;
  for (const m of members) byLanguage[m.lang]++;
  const expiresAt = expiryOf(draft, sendAt);
  return {
    id, packId, name: draft.name?.trim() || `Broadcast ${localDateTime(now, settings.timeZone)}`, draft,
    createdAt: now.toISOString(), sendAt: sendAt.toISOString(), urgent: draft.urgent === true, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}), total: members.length, byLanguage,
    waveSize, waves: Math.ceil(members.length / waveSize), session,
  };
}
