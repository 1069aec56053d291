import { join } from 'node:path';
import { loadPacks } from '../../../src/packs/load';
import { choosePackText, routeToPack, type InboundPack } from '../../../src/sms/inbound/pack-router';
import { measureSms } from '../../../src/kernel/text/gsm';

const { loaded } = loadPacks(join(__dirname, '../../../flows'));
const both: InboundPack[] = loaded.map(({ pack, keywords, sms }) => ({ pack, keywords, ...(sms ? { sms } : {}) }));
const without = (entries: InboundPack[], id: string, change: Partial<NonNullable<InboundPack['sms']>>): InboundPack[] =>
  entries.map((e) => (e.pack.id === id && e.sms ? { ...e, sms: { ...e.sms, ...change } } : e));
const idOf = (route: ReturnType<typeof routeToPack>): string | null => (route.kind === 'pack' ? route.entry.pack.id : null);

describe('inbound SMS: which pack', () => {
  test('a leading pack keyword on the shared short code picks that pack, and the rest is the command', () => {
    const route = routeToPack(both, '15001', 'egov2016  Ratiba 1');
    expect(idOf(route)).toBe('egov2016');
    expect(route.kind === 'pack' && route.text).toBe('Ratiba 1');
  });

  test('without a pack keyword the default pack of the short code takes it, text untouched', () => {
    const route = routeToPack(both, '15001', 'RATIBA');
    expect(idOf(route)).toBe('egov2015');
    expect(route.kind === 'pack' && route.text).toBe('RATIBA');
  });

  test('a short code no pack claims: the same rule over all packs', () => {
    expect(idOf(routeToPack(both, '99999', 'EGOV2016 KIKAO A101'))).toBe('egov2016');
    expect(idOf(routeToPack(both, '', 'ZANGU'))).toBe('egov2015');
  });

  test('with no default the sender is asked to name a pack, in both languages and one SMS', () => {
    const route = routeToPack(without(both, 'egov2015', { default: false }), '15001', 'RATIBA');
    expect(route).toEqual({ kind: 'choose', keywords: ['EGOV2015', 'EGOV2016'] });
    const text = choosePackText(['EGOV2015', 'EGOV2016']);
    expect(text).toMatch(/Tafadhali.*EGOV2015, EGOV2016.*Please.*EGOV2015, EGOV2016/);
    expect(measureSms(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  test('one pack alone on a gateway takes everything, as before packs named short codes', () => {
    const [first] = both;
    if (!first) throw new Error('no pack');
    const { sms: _sms, ...bare } = first;
    expect(idOf(routeToPack([bare], '12345', 'HELP'))).toBe(first.pack.id);
  });
});
