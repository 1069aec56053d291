/**
 * The packed ledger entry: every field survives a round trip, at the edges of each compact form
 * (numbers that are not E.164, ids that are not AT's, text holding the separator or the escape,
 * times before the base or between seconds), and a typical entry stays under Redis's listpack
 * value limit.
 */
import fc from 'fast-check';
import { packEntry, packPatch, packPatchTokens, PACKED_POSITIONS, storedPhone, unpackEntry, withPhone } from '../../../src/sms/outbound/ledger-codec';
import { RECIPIENT_STATES, type LedgerEntry } from '../../../src/sms/outbound/types';

const BASE = Date.UTC(2026, 5, 1, 12);
const roundTrip = (entry: Omit<LedgerEntry, 'index'>, base = BASE): LedgerEntry => unpackEntry(3, packEntry(entry, base), base);
/** What a round trip keeps of a time: whole seconds from the base, rounded down. */
const stored = (ms: number, base = BASE): number => base + Math.floor((ms - base) / 1000) * 1000;

test('a sent and a delivered entry are short, and read back whole', () => {
  const sent = { phone: '+255715000123', state: 'sent' as const, updatedAt: BASE + 12_345, attempts: 1, providerMessageId: 'ATXid_ffffffff000000000000000000000abc', statusCode: 101, cost: { currency: 'TZS', amount: 22 }, parts: 1, route: 'africastalking' };
  expect(packEntry(sent, BASE).length).toBeLessThanOrEqual(48);
  expect(roundTrip(sent)).toEqual({ index: 3, ...sent, updatedAt: BASE + 12_000 });
  const delivered = { ...sent, state: 'delivered' as const, updatedAt: BASE + 86_400_000 * 3, lastReport: 'Success', networkCode: '64002' };
  expect(packEntry(delivered, BASE).length).toBeLessThanOrEqual(60);
  expect(roundTrip(delivered)).toEqual({ index: 3, ...delivered });
  const failed = { ...delivered, state: 'failed' as const, lastReport: 'Failed', reason: 'UserInBlacklist' };
  expect(packEntry(failed, BASE).length).toBeLessThanOrEqual(64);
});

test('edges of each compact form round-trip exactly', () => {
  const phones = ['+1', '+999999999999999', '+9999999999999999', '+0712', '0712000001', '', 'junk|%7C*~', '+255 712', '~+2557', '+2557*****001'];
  for (const phone of phones) expect(roundTrip({ phone, state: 'queued', updatedAt: BASE }).phone).toBe(phone);
  const ids = ['ATXid_00000000000000000000000000000000', 'ATXid_ABCDEF00000000000000000000000000', 'ATXid_0123', 'smpp:42', '~x', '|', ''];
  for (const providerMessageId of ids) expect(roundTrip({ phone: '+2557', state: 'sent', updatedAt: BASE, providerMessageId }).providerMessageId).toBe(providerMessageId);
  for (const statusCode of [0, 101, -5, 2 ** 53, 1.5]) expect(roundTrip({ phone: '+2557', state: 'sent', updatedAt: BASE, statusCode }).statusCode).toBe(statusCode);
  for (const cost of [{ currency: 'TZS', amount: 0.8 }, { currency: 'KES', amount: -1 }, { currency: 'X Y', amount: 2 }, { currency: '', amount: 1e21 }, { currency: 'usd', amount: 1e-7 }]) {
    expect(roundTrip({ phone: '+2557', state: 'sent', updatedAt: BASE, cost }).cost).toEqual(cost);
  }
  for (const route of ['africastalking', 'smpp', 'outbox', 'A', 'smpp-backup|2', 'constructor', '__proto__']) expect(roundTrip({ phone: '+2557', state: 'sent', updatedAt: BASE, route }).route).toBe(route);
  for (const reason of ['opted_out', '', '*', '*0', '%25', 'provider threw: a|b 100%', 'Success']) expect(roundTrip({ phone: '+2557', state: 'failed', updatedAt: BASE, reason }).reason).toBe(reason);
  for (const updatedAt of [BASE, BASE + 999, BASE + 1000, BASE - 1, BASE - 1001, BASE + 40 * 86_400_000 + 1]) expect(roundTrip({ phone: '+2557', state: 'sent', updatedAt }).updatedAt).toBe(stored(updatedAt));
  for (const state of RECIPIENT_STATES) expect(roundTrip({ phone: '+2557', state, updatedAt: BASE }).state).toBe(state);
  // No attempts, 0 attempts: the same.
  expect(roundTrip({ phone: '+2557', state: 'queued', updatedAt: BASE })).toEqual({ index: 3, phone: '+2557', state: 'queued', updatedAt: BASE, attempts: 0 });
  expect(packEntry({ phone: '+255712000001', state: 'queued', updatedAt: BASE, attempts: 0 }, BASE)).not.toContain('|||');
});

test('any entry round-trips (property)', () => {
  const text = fc.string({ unit: 'binary', maxLength: 30 });
  const entry = fc.record({
    phone: fc.oneof(text, fc.integer({ min: 1, max: 999_999_999_999_999 }).map((n) => `+${n}`)),
    state: fc.constantFrom(...RECIPIENT_STATES),
    updatedAt: fc.integer({ min: BASE - 10 ** 9, max: BASE + 10 ** 11 }),
    attempts: fc.nat(20),
    reason: fc.option(text, { nil: undefined }),
    providerMessageId: fc.option(fc.oneof(text, fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => `ATXid_${Buffer.from(bytes).toString('hex')}`)), { nil: undefined }),
    statusCode: fc.option(fc.integer(), { nil: undefined }),
    cost: fc.option(fc.record({ currency: text, amount: fc.double({ noNaN: true, noDefaultInfinity: true }) }), { nil: undefined }),
    parts: fc.option(fc.nat(10), { nil: undefined }),
    route: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
    lastReport: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
    networkCode: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
  }, { requiredKeys: ['phone', 'state', 'updatedAt', 'attempts'] });
  fc.assert(fc.property(entry, (value) => {
    const clean = Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as unknown as Omit<LedgerEntry, 'index'>;
    // -0 is stored as 0.
    if (clean.cost && Object.is(clean.cost.amount, -0)) clean.cost = { ...clean.cost, amount: 0 };
    const packed = packEntry(clean, BASE);
    expect(unpackEntry(3, packed, BASE)).toEqual({ ...clean, index: 3, updatedAt: stored(clean.updatedAt) });
    expect(storedPhone(packed)).toBe(clean.phone);
    expect(storedPhone(withPhone(packed, '+2557*****001'))).toBe('+2557*****001');
  }), { numRuns: 500 });
});

test('a patch is the positions the scripts set', () => {
  expect(packPatch({ attempts: 2, reason: 'opted_out' })).toEqual({ [PACKED_POSITIONS.attempts]: '2', [PACKED_POSITIONS.reason]: expect.stringMatching(/^\*/) });
  expect(packPatch({ attempts: 0 })).toEqual({ [PACKED_POSITIONS.attempts]: '' });
});

test('a patch as the transition script reads it: a count, then positions 2 .. the last set, % where left as it is', () => {
  expect(packPatchTokens({})).toBe('0|');
  expect(packPatchTokens({ attempts: 1 })).toBe('2|%|1|');
  expect(packPatchTokens({ attempts: 0 })).toBe('2|%||');
  const sent = { providerMessageId: 'ATXid_ffffffff000000000000000000000abc', statusCode: 101, cost: { currency: 'TZS', amount: 22 }, parts: 1, route: 'africastalking' };
  const packed = packPatch(sent);
  expect(packPatchTokens(sent)).toBe(`7|%|%|${[4, 5, 6, 7, 8].map((position) => packed[position]).join('|')}|`);
  // Text holding the separators and the marker still makes one value each.
  const odd = packPatchTokens({ reason: '%|*%' });
  expect(odd).toBe(`10|${'%|'.repeat(9)}${packPatch({ reason: '%|*%' })[PACKED_POSITIONS.reason]}|`);
  expect(odd.split('|')).toHaveLength(12);
});
