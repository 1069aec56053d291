/**
 * Who a broadcast reaches: the union of its selectors (everyone, cohorts, institution types,
 * session subscribers, explicit numbers), normalised to E.164, de-duplicated, minus opt-outs.
 */
import { normalisePhone } from '../kernel/phone';
import type { Language } from '../engine';
import type { AudienceSpec } from './broadcast-types';
import type { AudienceDelegate, Delegate, DelegateRepository } from '../event/delegates';
import type { ReminderRepository } from '../reminders/reminders';
import type { SuppressionList } from '../sms/outbound/suppression-port';

/** What the Redis opt-out list adds to the port: many numbers in one read. */
interface BatchSuppression {
  suppressedAmong(phones: string[], sender: string | undefined): Promise<Set<string>>;
}

/** Opt-out reads of 1,000 numbers each in flight at once while resolving an audience. */
const SUPPRESSION_READS = 8;

/** A recipient: its phone, its language, and its delegate as read (all of it, or what an audience needs). */
export interface AudienceMember<D extends AudienceDelegate = Delegate> {
  phone: string;
  lang: Language;
  delegate: D | null;
}

export interface ResolvedAudience<D extends AudienceDelegate = Delegate> {
  members: Array<AudienceMember<D>>;
  selected: number;
  invalid: number;
  /** The first invalid entries as given (up to 50), so the organiser can fix them. */
  invalidEntries: string[];
  duplicates: number;
  optedOut: number;
}

export interface AudienceDeps {
  delegates: DelegateRepository; reminders: ReminderRepository; suppression: SuppressionList; defaultLanguage: Language; senderId: string | undefined;
  /** Phones checked in on any day; needed by `notCheckedIn` (absent: nobody counts as checked in). */
  checkedIn?: (packId: string) => Promise<ReadonlySet<string>>;
}

/** The audience with each member's whole delegate record (a preview renders names and codes). */
export async function resolveAudience(packId: string, spec: AudienceSpec, deps: AudienceDeps): Promise<ResolvedAudience> {
  return resolveAmong((await deps.delegates.list(packId)).items, packId, spec, deps);
}

/**
 * The same audience with only what sending needs of each delegate (phone, language, and the
 * fields its selectors filter on): the store's lighter read when it has one. For freezing it.
 */
export async function resolveRecipients(packId: string, spec: AudienceSpec, deps: AudienceDeps): Promise<ResolvedAudience<AudienceDelegate>> {
  const everyone = deps.delegates.audienceOf ? await deps.delegates.audienceOf(packId) : (await deps.delegates.list(packId)).items;
  return resolveAmong(everyone, packId, spec, deps);
}

/**
 * Items a long loop handles between two turns of the event loop. Resolving 100,000 delegates in one
 * go held the HTTP process for 100-200 ms (with the garbage it leaves), and a USSD hop arriving then
 * waited that long; in slices, hops are answered between them.
 */
export const AUDIENCE_SLICE = 5000;

/** Runs `each` over `items` in order, letting the event loop turn every AUDIENCE_SLICE items. */
async function sliced<T>(items: readonly T[], each: (item: T) => void): Promise<void> {
  for (let start = 0; start < items.length; start += AUDIENCE_SLICE) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const end = Math.min(items.length, start + AUDIENCE_SLICE);
    for (let i = start; i < end; i += 1) each(items[i] as T);
  }
}

async function resolveAmong<D extends AudienceDelegate>(everyone: readonly D[], packId: string, spec: AudienceSpec, deps: AudienceDeps): Promise<ResolvedAudience<D>> {
  const byPhone = new Map<string, D>();
  await sliced(everyone, (d) => { byPhone.set(d.phone, d); });
  const picked: string[] = [];
  let invalid = 0;
  const invalidEntries: string[] = [];
  // Appended one by one (a spread of a million arguments overflows the stack), in slices.
  const pickWhere = (keep: (d: D) => boolean): Promise<void> => sliced(everyone, (d) => { if (keep(d)) picked.push(d.phone); });
  if (spec.all) await pickWhere(() => true);
  if (spec.cohorts?.length) await pickWhere((d) => spec.cohorts?.includes(d.cohort) === true);
  if (spec.institutionTypes?.length) await pickWhere((d) => spec.institutionTypes?.includes(d.institutionType) === true);
  for (const code of spec.sessions ?? []) await sliced(await deps.reminders.subscribers(packId, code), (phone) => { picked.push(phone); });
  if (spec.notCheckedIn) {
    const present = deps.checkedIn ? await deps.checkedIn(packId) : new Set<string>();
    await pickWhere((d) => !present.has(d.phone));
  }
  for (const raw of spec.phones ?? []) {
    const phone = normalisePhone(raw);
    if (phone.ok) picked.push(phone.e164);
    else {
      invalid++;
      if (invalidEntries.length < 50) invalidEntries.push(raw.slice(0, 40));
    }
  }
  // A phone picked by two selectors (or listed twice) is sent one message: the first pick counts.
  const seen = new Set<string>();
  const unique: string[] = [];
  await sliced(picked, (phone) => {
    if (seen.has(phone)) return;
    seen.add(phone);
    unique.push(phone);
  });
  const duplicates = picked.length - unique.length;
  // 1,000 at a time: one command each when the list reads many at once (HMGET), else 1,000
  // lookups in one round trip (auto-pipelined); one by one, 100,000 took 40 s. SUPPRESSION_READS
  // such reads in flight: one after the other, 100 of them were a tenth of a 100,000 create.
  const suppressed = new Set<string>();
  const among = (deps.suppression as Partial<BatchSuppression>).suppressedAmong?.bind(deps.suppression);
  const readChunk = async (chunk: string[]): Promise<void> => {
    if (among) {
      for (const phone of await among(chunk, deps.senderId)) suppressed.add(phone);
      return;
    }
    const flags = await Promise.all(chunk.map((phone) => deps.suppression.isSuppressed(phone, deps.senderId)));
    chunk.forEach((phone, position) => { if (flags[position]) suppressed.add(phone); });
  };
  const chunks: string[][] = [];
  for (let start = 0; start < unique.length; start += 1000) chunks.push(unique.slice(start, start + 1000));
  for (let next = 0; next < chunks.length; next += SUPPRESSION_READS) await Promise.all(chunks.slice(next, next + SUPPRESSION_READS).map(readChunk));
  const members: Array<AudienceMember<D>> = [];
  let optedOut = 0;
  await sliced(unique, (phone) => {
    if (suppressed.has(phone)) {
      optedOut++;
      return;
    }
    const delegate = byPhone.get(phone) ?? null;
    members.push({ phone, lang: delegate?.language ?? deps.defaultLanguage, delegate });
  });
  return { members, selected: unique.length + invalid, invalid, invalidEntries, duplicates, optedOut };
}
