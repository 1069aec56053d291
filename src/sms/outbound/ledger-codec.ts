/**
 * How one ledger entry is stored: compact JSON with one-letter fields, the state as one
 * character and the time of the last change in base 36 ms from `LEDGER_EPOCH_MS` (about 7
 * characters instead of 13). A sent entry takes about half the bytes of its long form. Entries
 * written in the long form (`{"phone":...,"state":...}`) are still read, and are rewritten in the
 * compact form the next time they move.
 */
import type { LedgerEntry, RecipientState } from './types';

/** 2026-01-01T00:00:00Z: stored times are ms from here (negative before). */
export const LEDGER_EPOCH_MS = Date.UTC(2026, 0, 1);

export const STATE_CODES: Record<RecipientState, string> = { queued: 'q', sending: 'g', sent: 's', delivered: 'd', failed: 'f', skipped: 'k', uncertain: 'u' };
const STATE_NAMES = Object.fromEntries(Object.entries(STATE_CODES).map(([name, code]) => [code, name])) as Record<string, RecipientState>;

/** Field of the long form -> its one letter. The Lua scripts use the same letters. */
const FIELD_CODES = {
  phone: 'p', reason: 'r', providerMessageId: 'i', cost: '$', parts: 'n', statusCode: 'x', attempts: 'a', lastReport: 'l', networkCode: 'w', route: 'o',
} as const;

/** The SMS routes (SMS_ROUTES names) as one letter; any other name is stored as given. */
const ROUTE_CODES: Record<string, string> = { africastalking: 'A', smpp: 'S', outbox: 'O' };
const ROUTE_NAMES = Object.fromEntries(Object.entries(ROUTE_CODES).map(([name, code]) => [code, name]));

type Patchable = Partial<Omit<LedgerEntry, 'index' | 'state' | 'updatedAt'>>;
export type StoredEntry = Record<string, string | number>;

export function stateName(code: string | undefined): RecipientState | undefined {
  if (code === undefined || code === '') return undefined;
  return STATE_NAMES[code] ?? (code as RecipientState);
}

export function encodeTime(ms: number): string {
  return Math.round(ms - LEDGER_EPOCH_MS).toString(36);
}

export function decodeTime(value: string | number): number {
  return typeof value === 'number' ? value : LEDGER_EPOCH_MS + parseInt(value, 36);
}

/** The stored (compact) fields of a patch: what the transition script merges into an entry. */
export function encodePatch(patch: Patchable): StoredEntry {
  const out: StoredEntry = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const code = FIELD_CODES[field as keyof typeof FIELD_CODES];
    if (!code) continue;
    if (field === 'cost') out[code] = `${(value as { currency: string }).currency} ${(value as { amount: number }).amount}`;
    else if (field === 'route') out[code] = ROUTE_CODES[value as string] ?? (value as string);
    else out[code] = value as string | number;
  }
  return out;
}

export function encodeEntry(entry: Omit<LedgerEntry, 'index'>): string {
  const { state, updatedAt, attempts, ...rest } = entry;
  return JSON.stringify({ s: STATE_CODES[state], t: encodeTime(updatedAt), ...encodePatch(rest), ...(attempts ? { a: attempts } : {}) });
}

/** Reads an entry stored in either form. */
export function decodeEntry(index: number, raw: string | null | undefined): LedgerEntry | undefined {
  if (!raw) return undefined;
  const stored = JSON.parse(raw) as Record<string, unknown>;
  if (typeof stored.state === 'string') return { ...(stored as unknown as Omit<LedgerEntry, 'index'>), index };
  const entry: LedgerEntry = { index, phone: String(stored.p ?? ''), state: stateName(String(stored.s)) ?? 'queued', updatedAt: decodeTime(stored.t as string), attempts: Number(stored.a ?? 0) };
  for (const [field, code] of Object.entries(FIELD_CODES)) {
    const value = stored[code];
    if (value === undefined || field === 'phone' || field === 'attempts') continue;
    if (field === 'cost') {
      const [currency = '', amount = '0'] = String(value).split(' ');
      entry.cost = { currency, amount: Number(amount) };
    } else if (field === 'route') {
      entry.route = ROUTE_NAMES[String(value)] ?? String(value);
    } else {
      (entry as unknown as Record<string, unknown>)[field] = value;
    }
  }
  return entry;
}

/** The phone of a stored entry (either form), and the entry with another phone in its place. */
export function storedPhone(raw: string): string | undefined {
  const stored = JSON.parse(raw) as { p?: string; phone?: string };
  return stored.p ?? stored.phone;
}

export function withPhone(raw: string, phone: string): string {
  const stored = JSON.parse(raw) as Record<string, unknown>;
  if (typeof stored.state === 'string') return JSON.stringify({ ...stored, phone });
  return JSON.stringify({ ...stored, p: phone });
}
