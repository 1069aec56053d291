/**
 * How one ledger entry is stored. Today: packed (below), one short string per entry in buckets
 * of a hundred. Before: compact JSON with one-letter fields, the state as one
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
  if (isPacked(raw)) return unpackPhone(raw.split('|')[1] ?? '~');
  const stored = JSON.parse(raw) as { p?: string; phone?: string };
  return stored.p ?? stored.phone;
}

export function withPhone(raw: string, phone: string): string {
  if (isPacked(raw)) {
    const fields = raw.split('|');
    fields[PACKED_POSITIONS.phone - 1] = packPhone(phone);
    return Array.from(fields, (value) => value ?? '').join('|');
  }
  const stored = JSON.parse(raw) as Record<string, unknown>;
  if (typeof stored.state === 'string') return JSON.stringify({ ...stored, phone });
  return JSON.stringify({ ...stored, p: phone });
}

// ---- The packed form: entries in buckets of `BUCKET_SIZE` (see Ledger), one short string each.

/**
 * Entries per bucket hash. With the bucket's base field that is 101 fields, under Redis's
 * `hash-max-listpack-entries` (128), and a packed entry stays under `hash-max-listpack-value`
 * (64 bytes) unless it carries a long free-text reason, so a bucket is kept as a listpack.
 */
export const BUCKET_SIZE = 100;
/** The bucket field holding the entries' base time (the message's creation, epoch ms). */
export const BASE_FIELD = 'b';

/**
 * Positions of the packed fields, split on '|' (1 is the state letter followed by the time of the
 * last change, in base-36 seconds from the bucket's base, empty for 0). The Lua scripts use the
 * same positions: a patch is a map position -> packed value.
 */
export const PACKED_POSITIONS = {
  phone: 2, attempts: 3, providerMessageId: 4, statusCode: 5, cost: 6, parts: 7, route: 8, lastReport: 9, networkCode: 10, reason: 11,
} as const;
type PackedField = keyof typeof PACKED_POSITIONS;

/** Free text the ledger writes often (reasons, report statuses), stored as `*` and one character. Append only. */
const WORDS = [
  'opted_out', 'invalid_number', 'duplicate', 'expired', 'budget_exhausted', 'repeated_content', 'shutting_down', 'missing_from_provider_answer',
  'queued', 'failed', 'uncertain', 'skipped', 'every_route_down', 'no_recipients', 'rate_capped', 'reply_cap', 'unknown_cap',
  'Success', 'Sent', 'Submitted', 'Buffered', 'Rejected', 'Failed', 'Expired', 'AbsentSubscriber', 'Delivered', 'DeliveryFailure',
  'UserInBlacklist', 'InsufficientCredit', 'InsufficientBalance', 'UserIsInactive', 'UserAccountSuspended', 'NotNetworkSubscriber',
  'UserNotSubscribedToProduct', 'UserDoesNotExist', 'InvalidPhoneNumber', 'InvalidSenderId', 'UnsupportedNumberType', 'RiskHold',
  'CouldNotRoute', 'DoNotDisturbRejection', 'InternalServerError', 'GatewayError', 'RejectedByGateway', 'InvalidLinkId',
];
const DIGITS62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WORD_CODES = new Map(WORDS.map((word, n) => [word, `*${DIGITS62[n] ?? ''}`]));
const CODE_WORDS = new Map(WORDS.map((word, n) => [`*${DIGITS62[n] ?? ''}`, word]));

/** '%', '|' and '*' as %25, %7C and %2A: a packed value never holds the separator, and a text never looks like a word code. */
function escape(text: string): string {
  return text.replace(/[%|*]/g, (c) => (c === '%' ? '%25' : c === '|' ? '%7C' : '%2A'));
}
function unescape(text: string): string {
  return text.replace(/%(25|7C|2A)/g, (_, code: string) => (code === '25' ? '%' : code === '7C' ? '|' : '*'));
}

function toBase62(n: number): string {
  let out = '';
  let rest = n;
  do {
    out = (DIGITS62[rest % 62] ?? '') + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out;
}
function fromBase62(text: string): number {
  let n = 0;
  for (const c of text) n = n * 62 + DIGITS62.indexOf(c);
  return n;
}

/** A number in E.164 (`+` and 1-15 digits, no leading 0) as base 62 of its digits; anything else `~` and the text. */
function packPhone(phone: string): string {
  return /^\+[1-9]\d{0,14}$/.test(phone) ? toBase62(Number(phone.slice(1))) : `~${escape(phone)}`;
}
function unpackPhone(value: string): string {
  return value.startsWith('~') ? unescape(value.slice(1)) : `+${fromBase62(value)}`;
}

/** An Africa's Talking id (`ATXid_` and 32 lowercase hex digits) as base64url of its 16 bytes; anything else `~` and the text. */
function packProviderId(id: string): string {
  return /^ATXid_[0-9a-f]{32}$/.test(id) ? Buffer.from(id.slice(6), 'hex').toString('base64url') : `~${escape(id)}`;
}
function unpackProviderId(value: string): string {
  return value.startsWith('~') ? unescape(value.slice(1)) : `ATXid_${Buffer.from(value, 'base64url').toString('hex')}`;
}

function packNumber(n: number): string {
  return Number.isSafeInteger(n) ? n.toString(36) : `~${escape(String(n))}`;
}
function unpackNumber(value: string): number {
  return value.startsWith('~') ? Number(unescape(value.slice(1))) : parseInt(value, 36);
}

function packText(text: string): string {
  return text === '' ? '*' : (WORD_CODES.get(text) ?? escape(text));
}
function unpackText(value: string): string {
  return value === '*' ? '' : (CODE_WORDS.get(value) ?? unescape(value));
}

function packCost(cost: { currency: string; amount: number }): string {
  return /^[A-Za-z]+$/.test(cost.currency) && Number.isFinite(cost.amount) ? `${cost.currency}${cost.amount}` : `~${escape(JSON.stringify(cost))}`;
}
function unpackCost(value: string): { currency: string; amount: number } {
  if (value.startsWith('~')) return JSON.parse(unescape(value.slice(1))) as { currency: string; amount: number };
  const [, currency = '', amount = '0'] = /^([A-Za-z]+)(.*)$/.exec(value) ?? [];
  return { currency, amount: Number(amount) };
}

function packRoute(route: string): string {
  return Object.hasOwn(ROUTE_CODES, route) ? (ROUTE_CODES[route] ?? route) : `~${escape(route)}`;
}
function unpackRoute(value: string): string {
  return value.startsWith('~') ? unescape(value.slice(1)) : (Object.hasOwn(ROUTE_NAMES, value) ? (ROUTE_NAMES[value] ?? value) : value);
}

/** The packed attempts (position 3): empty for 0, as every field the scripts patch is packed. */
export function packAttempts(attempts: number): string {
  return Number(attempts) === 0 ? '' : packNumber(Number(attempts));
}

/** One field's packed value (the Lua scripts set it at its position), or undefined for a field the ledger does not keep. */
export function packField(field: string, value: unknown): string | undefined {
  switch (field as PackedField) {
    case 'phone': return packPhone(String(value));
    case 'providerMessageId': return packProviderId(String(value));
    case 'attempts': return packAttempts(Number(value));
    case 'statusCode': case 'parts': return packNumber(Number(value));
    case 'cost': return packCost(value as { currency: string; amount: number });
    case 'route': return packRoute(String(value));
    case 'lastReport': case 'networkCode': case 'reason': return packText(String(value));
    default: return undefined;
  }
}

const POSITION_LIST = Object.entries(PACKED_POSITIONS) as Array<[PackedField, number]>;

/** A patch as the transition script takes it for packed entries: position -> packed value. */
export function packPatch(patch: Patchable): Record<string, string> {
  const out: Record<string, string> = {};
  const fields = patch as Record<string, unknown>;
  for (const [field, position] of POSITION_LIST) {
    const value = fields[field];
    if (value === undefined) continue;
    const packed = packField(field, value);
    if (packed !== undefined) out[position] = packed;
  }
  return out;
}

/**
 * A patch as the transition script reads it (see transitionPackedScript): how many values follow,
 * then the values of positions 2 .. the last the patch sets, each followed by '|', with '%' (never
 * a packed value: a packed '%' is '%25') where the patch leaves a position as it is.
 */
export function packPatchTokens(patch: Patchable): string {
  const fields = patch as Record<string, unknown>;
  let values = '';
  let pending = '';
  let count = 0;
  for (const [field, position] of POSITION_LIST) {
    const value = fields[field];
    const packed = value === undefined ? undefined : packField(field, value);
    if (packed === undefined) {
      pending += '%|';
      continue;
    }
    values += `${pending}${packed}|`;
    pending = '';
    count = position - 1;
  }
  return `${count}|${values}`;
}

/** The stored time: base-36 seconds from the bucket's base, empty for 0 (the scripts round the same way). */
export function packTime(ms: number, baseMs: number): string {
  const seconds = Math.floor((ms - baseMs) / 1000);
  return seconds === 0 ? '' : seconds.toString(36);
}

/** One entry packed: state letter and time, then the fields by position, trailing empty ones left off. */
export function packEntry(entry: Omit<LedgerEntry, 'index'>, baseMs: number): string {
  const fields: string[] = [`${STATE_CODES[entry.state]}${packTime(entry.updatedAt, baseMs)}`];
  const values = entry as unknown as Record<string, unknown>;
  let end = 1;
  for (const [field, position] of POSITION_LIST) {
    const value = values[field];
    const packed = value === undefined ? undefined : packField(field, value);
    if (packed === undefined) continue;
    fields[position - 1] = packed;
    if (packed !== '' && position > end) end = position;
  }
  let out = fields[0] ?? '';
  for (let n = 1; n < end; n += 1) out += `|${fields[n] ?? ''}`;
  return out;
}

/** Reads a packed entry (`baseMs` from its bucket). */
export function unpackEntry(index: number, raw: string, baseMs: number): LedgerEntry {
  const fields = raw.split('|');
  const head = fields[0] ?? '';
  const entry: LedgerEntry = {
    index, phone: '', state: stateName(head.slice(0, 1)) ?? 'queued',
    updatedAt: baseMs + (head.length > 1 ? parseInt(head.slice(1), 36) : 0) * 1000, attempts: 0,
  };
  const target = entry as unknown as Record<string, unknown>;
  for (const [field, position] of POSITION_LIST) {
    const value = fields[position - 1];
    if (value === undefined || value === '') continue;
    switch (field) {
      case 'phone': entry.phone = unpackPhone(value); break;
      case 'providerMessageId': entry.providerMessageId = unpackProviderId(value); break;
      case 'attempts': case 'statusCode': case 'parts': target[field] = unpackNumber(value); break;
      case 'cost': entry.cost = unpackCost(value); break;
      case 'route': entry.route = unpackRoute(value); break;
      default: target[field] = unpackText(value);
    }
  }
  return entry;
}

/** True for an entry in the packed form (the JSON forms start with `{`). */
export function isPacked(raw: string): boolean {
  return !raw.startsWith('{');
}
