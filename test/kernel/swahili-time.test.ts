import { dayPart, swahiliClock, swahiliTime, swahiliTimeRange } from '../../src/kernel/swahili-time';

/** The whole day, hour by hour: 24-hour figure, Swahili dial hour, part of the day. */
const DAY: Array<[number, number, string]> = [
  [0, 6, 'usiku'], [1, 7, 'usiku'], [2, 8, 'usiku'], [3, 9, 'usiku'],
  [4, 10, 'alfajiri'], [5, 11, 'alfajiri'], [6, 12, 'asubuhi'], [7, 1, 'asubuhi'],
  [8, 2, 'asubuhi'], [9, 3, 'asubuhi'], [10, 4, 'asubuhi'], [11, 5, 'asubuhi'],
  [12, 6, 'mchana'], [13, 7, 'mchana'], [14, 8, 'mchana'], [15, 9, 'alasiri'],
  [16, 10, 'alasiri'], [17, 11, 'jioni'], [18, 12, 'jioni'], [19, 1, 'usiku'],
  [20, 2, 'usiku'], [21, 3, 'usiku'], [22, 4, 'usiku'], [23, 5, 'usiku'],
];
const pad = (n: number): string => String(n).padStart(2, '0');

describe('Swahili time', () => {
  test.each(DAY)('%i:00 is saa %i %s, and so is every minute of that hour', (hour, swahili, part) => {
    for (let minute = 0; minute < 60; minute += 1) {
      const hhmm = `${pad(hour)}:${pad(minute)}`;
      expect(swahiliTime(hhmm)).toBe(`saa ${swahili}:${pad(minute)} ${part} (${hhmm})`);
    }
  });

  test('boundaries: the last minute of one part and the first of the next', () => {
    expect(swahiliTime('03:59')).toBe('saa 9:59 usiku (03:59)');
    expect(swahiliTime('04:00')).toBe('saa 10:00 alfajiri (04:00)');
    expect(swahiliTime('05:59')).toBe('saa 11:59 alfajiri (05:59)');
    expect(swahiliTime('06:00')).toBe('saa 12:00 asubuhi (06:00)');
    expect(swahiliTime('06:59')).toBe('saa 12:59 asubuhi (06:59)');
    expect(swahiliTime('07:00')).toBe('saa 1:00 asubuhi (07:00)');
    expect(swahiliTime('11:59')).toBe('saa 5:59 asubuhi (11:59)');
    expect(swahiliTime('12:00')).toBe('saa 6:00 mchana (12:00)');
    expect(swahiliTime('14:00')).toBe('saa 8:00 mchana (14:00)');
    expect(swahiliTime('14:59')).toBe('saa 8:59 mchana (14:59)');
    expect(swahiliTime('15:00')).toBe('saa 9:00 alasiri (15:00)');
    expect(swahiliTime('16:59')).toBe('saa 10:59 alasiri (16:59)');
    expect(swahiliTime('17:00')).toBe('saa 11:00 jioni (17:00)');
    expect(swahiliTime('18:59')).toBe('saa 12:59 jioni (18:59)');
    expect(swahiliTime('19:00')).toBe('saa 1:00 usiku (19:00)');
    expect(swahiliTime('23:59')).toBe('saa 5:59 usiku (23:59)');
    expect(swahiliTime('00:00')).toBe('saa 6:00 usiku (00:00)');
  });

  test('every minute of the day has one part and a dial hour from 1 to 12', () => {
    for (let m = 0; m < 24 * 60; m += 1) {
      const hhmm = `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
      const hour = Number(swahiliClock(hhmm).split(':')[0]);
      expect(hour).toBeGreaterThanOrEqual(1);
      expect(hour).toBeLessThanOrEqual(12);
      expect(swahiliTime(hhmm)).toMatch(/^saa \d{1,2}:\d\d (alfajiri|asubuhi|mchana|alasiri|jioni|usiku) \(\d\d:\d\d\)$/);
      expect(dayPart(Math.floor(m / 60))).toBeDefined();
    }
  });

  test('a value that is not HH:MM is left as it is', () => {
    expect(swahiliTime('24:00')).toBe('24:00');
    expect(swahiliTime('9:00')).toBe('9:00');
    expect(swahiliTime('')).toBe('');
  });

  test('spans name the part of the day once when both ends share it', () => {
    expect(swahiliTimeRange('14:00', '14:30')).toBe('saa 8:00-8:30 mchana (14:00-14:30)');
    expect(swahiliTimeRange('09:00', '10:00')).toBe('saa 3:00-4:00 asubuhi (09:00-10:00)');
    expect(swahiliTimeRange('11:30', '12:30')).toBe('saa 5:30 asubuhi hadi 6:30 mchana (11:30-12:30)');
    expect(swahiliTimeRange('x', '12:30')).toBe('x-12:30');
  });
});
