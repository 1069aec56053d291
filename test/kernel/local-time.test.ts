/** One wall clock for every date and time label: East Africa Time or an event's fixed offset. */
import fc from 'fast-check';
import { localDate, localDateTime, localMinutes, localParts, shortDate } from '../../src/kernel/local-time';

const EAT = 'Africa/Dar_es_Salaam';

describe('local time labels', () => {
  it('reads an instant in East Africa Time (UTC+3, no daylight saving)', () => {
    expect(localParts('2015-08-17T20:59:00Z', EAT)).toEqual({ date: '2015-08-17', time: '23:59', minutes: 23 * 60 + 59 });
    expect(localParts('2015-08-17T21:00:00Z', EAT)).toEqual({ date: '2015-08-18', time: '00:00', minutes: 0 });
    expect(localDateTime(new Date('2015-08-18T06:30:00Z'), EAT)).toBe('2015-08-18 09:30');
    expect(localDate(Date.parse('2015-12-31T22:00:00Z'), EAT)).toBe('2016-01-01');
    expect(localMinutes('2015-08-18T05:00:00Z', EAT)).toBe(8 * 60);
  });

  it('reads the same label from the zone and from its fixed offset, at any instant', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
      expect(localParts(ms, '+03:00')).toEqual(localParts(ms, EAT));
    }));
  });

  it('handles offsets west of UTC and other zones', () => {
    expect(localDateTime('2015-08-18T02:15:00Z', '-05:30')).toBe('2015-08-17 20:45');
    expect(localDateTime('2015-08-18T02:15:00Z', 'UTC')).toBe('2015-08-18 02:15');
  });

  it('gives empty labels for an invalid instant and refuses an unknown zone', () => {
    expect(localParts('not a time', EAT)).toBeUndefined();
    expect(localDate('not a time', '+03:00')).toBe('');
    expect(localDateTime(Number.NaN, EAT)).toBe('');
    expect(() => localDate(0, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('shortDate', () => {
  it('labels an ISO date day first, without leading zeros', () => {
    expect(shortDate('2015-08-17')).toBe('17/8');
    expect(shortDate('2016-01-05')).toBe('5/1');
  });
});
