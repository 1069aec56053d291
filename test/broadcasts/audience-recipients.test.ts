/**
 * Freezing a broadcast reads the delegate store's light read when it has one: the same members,
 * in the same order and languages, as the preview's full read, whatever the selectors.
 */
import { resolveAudience, resolveRecipients, type AudienceDeps } from '../../src/broadcasts/audience';
import type { AudienceSpec } from '../../src/broadcasts/broadcast-types';
import type { Delegate, DelegateRepository } from '../../src/event/delegates';

const delegates: Delegate[] = Array.from({ length: 40 }, (_, n) => ({
  phone: `+2557120000${String(n).padStart(2, '0')}`, name: `Jina ${n}`, institution: 'Wizara', institutionType: n % 3 === 0 ? 'ministry' : 'agency',
  cohort: String(n % 4), code: `C${n}`, language: n % 5 === 0 ? 'en' : 'sw', channel: 'ussd', registeredAt: new Date(n).toISOString(),
}));

function depsWith(reads: string[]): AudienceDeps {
  const store = {
    list: async () => { reads.push('list'); return { total: delegates.length, items: delegates }; },
    audienceOf: async () => { reads.push('audienceOf'); return delegates.map(({ phone, language, cohort, institutionType }) => ({ phone, language, cohort, institutionType })); },
  } as unknown as DelegateRepository;
  return {
    delegates: store,
    reminders: { subscribers: async () => [delegates[7]?.phone ?? '', '+255712999999'] } as never,
    suppression: { isSuppressed: async (phone: string) => phone === delegates[4]?.phone } as never,
    defaultLanguage: 'sw', senderId: undefined,
    checkedIn: async () => new Set([delegates[1]?.phone ?? '']),
  };
}

test.each<AudienceSpec>([
  { all: true }, { cohorts: ['1', '3'] }, { institutionTypes: ['ministry'] }, { sessions: ['S1'] }, { notCheckedIn: true },
  { cohorts: ['2'], institutionTypes: ['ministry'], phones: ['0712000005', 'abc', '+255712000077'] },
] as AudienceSpec[])('%j: the same members as the full read, from the light read', async (spec) => {
  const reads: string[] = [];
  const full = await resolveAudience('egov2015', spec, depsWith([]));
  const light = await resolveRecipients('egov2015', spec, depsWith(reads));
  expect(reads).toEqual(['audienceOf']);
  expect(light.members.map(({ phone, lang }) => ({ phone, lang }))).toEqual(full.members.map(({ phone, lang }) => ({ phone, lang })));
  expect(full.members.length).toBeGreaterThan(0);
  const { members: _light, ...lightCounts } = light;
  const { members: _full, ...fullCounts } = full;
  expect(lightCounts).toEqual(fullCounts);
});

/** The audience as a plain reading of the selectors gives it: union in selector order, first pick kept, opt-outs left out. */
function expected(all: readonly Delegate[], spec: AudienceSpec, subscribers: string[], present: Set<string>, suppressed: (phone: string) => boolean): { phones: string[]; duplicates: number; optedOut: number } {
  const picked: string[] = [];
  if (spec.all) picked.push(...all.map((d) => d.phone));
  if (spec.cohorts?.length) picked.push(...all.filter((d) => spec.cohorts?.includes(d.cohort)).map((d) => d.phone));
  if (spec.institutionTypes?.length) picked.push(...all.filter((d) => spec.institutionTypes?.includes(d.institutionType)).map((d) => d.phone));
  for (const _ of spec.sessions ?? []) picked.push(...subscribers);
  if (spec.notCheckedIn) picked.push(...all.filter((d) => !present.has(d.phone)).map((d) => d.phone));
  const unique = [...new Set(picked)];
  return { phones: unique.filter((p) => !suppressed(p)), duplicates: picked.length - unique.length, optedOut: unique.filter(suppressed).length };
}

test('a large audience resolves in slices: the event loop turns between them, and members, order and counts are those of the selectors', async () => {
  const many: Delegate[] = Array.from({ length: 12_345 }, (_, n) => ({
    phone: `+25571${String(n).padStart(7, '0')}`, name: `Jina ${n}`, institution: 'Wizara', institutionType: n % 3 === 0 ? 'ministry' : 'agency',
    cohort: String(n % 4), code: `C${n}`, language: n % 5 === 0 ? 'en' : 'sw', channel: 'ussd', registeredAt: new Date(n).toISOString(),
  }));
  const subscribers = many.filter((_, n) => n % 7 === 0).map((d) => d.phone).reverse();
  const present = new Set(many.filter((_, n) => n % 11 === 0).map((d) => d.phone));
  const suppressed = (phone: string): boolean => phone.endsWith('3');
  const deps: AudienceDeps = {
    delegates: { audienceOf: async () => many.map(({ phone, language, cohort, institutionType }) => ({ phone, language, cohort, institutionType })) } as unknown as DelegateRepository,
    reminders: { subscribers: async () => subscribers } as never,
    suppression: { isSuppressed: async (phone: string) => suppressed(phone) } as never,
    defaultLanguage: 'sw', senderId: undefined,
    checkedIn: async () => present,
  };
  for (const spec of [{ all: true }, { cohorts: ['1'], institutionTypes: ['ministry'], sessions: ['S1'], notCheckedIn: true }] as AudienceSpec[]) {
    // Every dependency answers in a microtask: only the slicing lets a timer run before the end.
    let turns = 0;
    let done = false;
    const tick = (): void => { turns += 1; if (!done) setImmediate(tick); };
    setImmediate(tick);
    const resolved = await resolveRecipients('egov2015', spec, deps);
    done = true;
    expect(turns).toBeGreaterThanOrEqual(4);
    const want = expected(many, spec, subscribers, present, suppressed);
    expect(resolved.members.map((m) => m.phone)).toEqual(want.phones);
    expect(resolved.members.every((m) => m.lang === (many[Number(m.phone.slice(6))]?.language))).toBe(true);
    expect({ duplicates: resolved.duplicates, optedOut: resolved.optedOut, selected: resolved.selected }).toEqual({ duplicates: want.duplicates, optedOut: want.optedOut, selected: want.phones.length + want.optedOut });
  }
});
