/**
 * Broadcasts as the admin API, the console and the CLI see them. The service behind it resolves
 * audiences, previews, fans out through the outbound pipeline and reports from the ledger.
 */
import type { Language } from '../kernel/language';
import type { TextMeasure } from '../kernel/text/gsm';
import { RECIPIENT_STATES, type RecipientState } from '../sms/outbound/types';

/** Every selector adds people; the audience is the union, after opt-outs and invalid numbers. */
export interface AudienceSpec {
  all?: boolean;
  cohorts?: string[];
  institutionTypes?: string[];
  /** Subscribers of these session codes. */
  sessions?: string[];
  /** Explicit phone numbers (any common format; normalised to E.164). */
  phones?: string[];
  /** Registered delegates never checked in at the desk (or by NIPO/HERE). */
  notCheckedIn?: boolean;
}

export interface BroadcastDraft {
  name?: string;
  audience: AudienceSpec;
  /** Text per language with placeholders {name}, {code}, {session}. At least one language. */
  messages: { sw?: string; en?: string };
  /** ISO time; null or absent = now. */
  sendAt?: string | null;
  /** Ignores quiet hours. */
  urgent?: boolean;
  /** ISO time after which nothing more of it is sent (what is unsent then is skipped `expired`). */
  expiresAt?: string | null;
  /** The same, as minutes after the send time (after any quiet-hours hold). Not with `expiresAt`. */
  validForMinutes?: number;
  /** Send even to phones that got the same text SMS_CONTENT_REPEAT_CAP times in 30 minutes. */
  force?: boolean;
  /** A merge sheet's values per recipient (see merge-sheet.ts); its phones are in `audience.phones`. */
  merge?: { columns: string[]; values: Record<string, Record<string, string>>; invalid: Array<{ line: number; phone: string; reason: string }> };
}

/** One language's share of a broadcast, measured as one SMS of its sample text. */
export interface LanguagePreview extends Pick<TextMeasure, 'encoding' | 'units' | 'segments' | 'nonGsmCharacters'> {
  recipients: number;
  /** The text rendered for the first recipient in that language (placeholders filled). */
  sample: string;
}

export interface BroadcastPreview {
  audience: { selected: number; eligible: number; optedOut: number; invalid: number; invalidEntries: string[]; duplicates: number };
  languages: Partial<Record<Language, LanguagePreview>>;
  /** For a merge sheet: the first 200 rows as each recipient gets them, and the rows not sent. */
  merge?: { columns: string[]; rows: Array<{ phone: string; text: string; encoding: string; segments: number; cost: number }>; invalid: Array<{ line: number; phone: string; reason: string }> };
  cost: { segments: number; pricePerSegment: number; currency: string; amount: number };
  quietHours: { window: string; inQuietHours: boolean; urgent: boolean; sendsAt: string };
  problems: string[];
}

export type BroadcastState = 'scheduled' | 'sending' | 'paused' | 'cancelled' | 'completed';

/** A recipient's state as organisers see it: the ledger's, or `cancelled` when the broadcast was cancelled before queuing them. */
export type BroadcastRecipientState = RecipientState | 'cancelled';

/** Every BroadcastRecipientState, the ledger's in order and then `cancelled`. */
export const BROADCAST_RECIPIENT_STATES: readonly BroadcastRecipientState[] = [...RECIPIENT_STATES, 'cancelled'];

export interface BroadcastStatus {
  id: string;
  name: string;
  state: BroadcastState;
  createdAt: string;
  sendAt: string;
  urgent: boolean;
  /** ISO time after which nothing more of it is sent; null: no expiry. */
  expiresAt: string | null;
  /** Waiting only because of quiet hours: `sendAt` is later than the time asked for. */
  heldByQuietHours?: boolean;
  total: number;
  counts: Record<BroadcastRecipientState, number>;
  /** Recipients in a final state / total. */
  progress: number;
  ratePerSecond: number;
  etaSeconds: number | null;
}

export interface BroadcastRecipientRow {
  phone: string;
  language: Language;
  state: BroadcastRecipientState;
  reason: string;
  providerMessageId: string;
  /** The SMS route that carried it (or may have it), empty before any call. */
  route: string;
  cost: string;
  updatedAt: string;
}

export interface BroadcastReport {
  status: BroadcastStatus;
  byReason: Record<string, number>;
  /** Recipients by the SMS route that carried them. */
  byRoute: Record<string, number>;
  /** Recipients that failed or are uncertain. */
  problems: BroadcastRecipientRow[];
}

export interface BroadcastService {
  preview(draft: BroadcastDraft): Promise<BroadcastPreview>;
  /** Same idempotency key, same broadcast: `created` false the second time. */
  create(draft: BroadcastDraft, idempotencyKey: string): Promise<{ broadcast: BroadcastStatus; created: boolean }>;
  get(id: string): Promise<BroadcastStatus | null>;
  list(limit?: number): Promise<BroadcastStatus[]>;
  pause(id: string): Promise<BroadcastStatus>;
  resume(id: string): Promise<BroadcastStatus>;
  cancel(id: string): Promise<BroadcastStatus>;
  /** Sends a scheduled broadcast, or one held by quiet hours, now (as if urgent). */
  sendNow(id: string): Promise<BroadcastStatus>;
  /** Queues the failed or uncertain recipients again, on explicit request. */
  resend(id: string, which: 'failed' | 'uncertain'): Promise<{ broadcast: BroadcastStatus; queued: number }>;
  report(id: string): Promise<BroadcastReport>;
  /** Every recipient as CSV (phone masked or not per `maskPhones`). */
  reportCsv(id: string, options?: { maskPhones?: boolean }): Promise<string>;
  /** Sends the rendered draft to one phone (the organiser's own) now, ignoring quiet hours. */
  testSend(draft: BroadcastDraft, phone: string): Promise<{ messageId: string }>;
}
