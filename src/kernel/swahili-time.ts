/**
 * Time as a Kiswahili reader says it. Swahili time counts hours from sunrise and sunset: it is the
 * 24-hour time minus six hours on a 12-hour dial (07:00 = saa 1 asubuhi, 12:00 = saa 6 mchana,
 * 19:00 = saa 1 usiku), named with the part of the day. Prose SMS give it with the 24-hour figure
 * in brackets ("saa 8:00 mchana (14:00)"); screens and list rows show the 24-hour figure alone and
 * never put "saa" in front of it.
 */

/** The part of the day of a 24-hour hour (0-23). */
export type DayPart = 'alfajiri' | 'asubuhi' | 'mchana' | 'alasiri' | 'jioni' | 'usiku';

/**
 * alfajiri 04:00-05:59, asubuhi 06:00-11:59, mchana 12:00-14:59, alasiri 15:00-16:59,
 * jioni 17:00-18:59, usiku 19:00-03:59.
 */
export function dayPart(hour: number): DayPart {
  if (hour >= 4 && hour < 6) return 'alfajiri';
  if (hour >= 6 && hour < 12) return 'asubuhi';
  if (hour >= 12 && hour < 15) return 'mchana';
  if (hour >= 15 && hour < 17) return 'alasiri';
  if (hour >= 17 && hour < 19) return 'jioni';
  return 'usiku';
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function parse(hhmm: string): { hour: number; minute: number } | undefined {
  const match = HHMM.exec(hhmm);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
}

/** The Swahili-time dial figure of a 24-hour "HH:MM": "14:00" -> "8:00", "06:30" -> "12:30". */
export function swahiliClock(hhmm: string): string {
  const t = parse(hhmm);
  if (!t) return hhmm;
  const hour = ((t.hour + 5) % 12) + 1;
  return `${hour}:${String(t.minute).padStart(2, '0')}`;
}

/** "14:00" -> "saa 8:00 mchana (14:00)". A value that is not HH:MM is returned as given. */
export function swahiliTime(hhmm: string): string {
  const t = parse(hhmm);
  if (!t) return hhmm;
  return `saa ${swahiliClock(hhmm)} ${dayPart(t.hour)} (${hhmm})`;
}

/**
 * A span in prose: "saa 8:00-9:30 mchana (14:00-15:30)" when both ends share a part of the day,
 * else "saa 5:30 asubuhi hadi 6:30 mchana (11:30-12:30)".
 */
export function swahiliTimeRange(start: string, end: string): string {
  const a = parse(start);
  const b = parse(end);
  if (!a || !b) return `${start}-${end}`;
  const partA = dayPart(a.hour);
  const partB = dayPart(b.hour);
  if (partA === partB) return `saa ${swahiliClock(start)}-${swahiliClock(end)} ${partA} (${start}-${end})`;
  return `saa ${swahiliClock(start)} ${partA} hadi ${swahiliClock(end)} ${partB} (${start}-${end})`;
}
