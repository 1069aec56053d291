/** The Node side of the AT handset protocol: answers AT accepts, the `text` field, ids and dates. */
import { atDate, newMessageId, newSessionId, parseUssdAnswer, SERVICE_CODE, ussdText } from '../../scripts/lib/at-protocol';

describe('AT handset protocol', () => {
  it('accepts only answers that start with CON or END and a space (or nothing)', () => {
    expect(parseUssdAnswer('CON Karibu\n1. Ratiba')).toEqual({ kind: 'CON', text: 'Karibu\n1. Ratiba', raw: 'CON Karibu\n1. Ratiba' });
    expect(parseUssdAnswer('END')).toEqual({ kind: 'END', text: '', raw: 'END' });
    expect(parseUssdAnswer('END  two')?.text).toBe(' two');
    for (const body of ['CONKaribu', 'con Karibu', ' END x', '', 'OK']) expect(parseUssdAnswer(body)).toBeUndefined();
  });

  it('joins inputs with * the way AT builds text, star inside an input included', () => {
    expect(ussdText([])).toBe('');
    expect(ussdText(['1', 'Juma*Hamisi', ''])).toBe('1*Juma*Hamisi*');
  });

  it('makes ids and dates in AT\'s shapes', () => {
    expect(newSessionId()).toMatch(/^ATUid_[0-9a-f]{32}$/);
    expect(newMessageId()).toMatch(/^ATXid_[0-9a-f]{32}$/);
    expect(newSessionId()).not.toBe(newSessionId());
    expect(atDate(new Date(2015, 7, 17, 8, 5, 9))).toBe('2015-08-17 08:05:09');
    expect(['*384*2015#', '*384#'].every((code) => SERVICE_CODE.test(code))).toBe(true);
    expect(['*384*2015', '384#', '*38a#'].some((code) => SERVICE_CODE.test(code))).toBe(false);
  });
});
