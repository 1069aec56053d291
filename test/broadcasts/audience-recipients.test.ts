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
