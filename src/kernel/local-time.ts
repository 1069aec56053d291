/**
 * Dates and times as people in the event's place read them. Every label the gateway shows or
 * keys by day (the SMS budget day, quiet hours, registrations per day, a broadcast's default
 * name) comes from here, so all of them agree on one wall clock: East Africa Time by default
 * (`TZ=Africa/Dar_es_Salaam`), or an event's fixed `utcOffset` such as "+03:00".
 */

/** An IANA time zone ("Africa/Dar_es_Salaam") or a fixed offset from UTC ("+03:00"). */
export type WallClock = string;

export interface LocalParts {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:MM`, 00:00 to 23:59 */
  time: string;
  /** Minutes since local midnight. */
  minutes: number;
}

const OFFSET = /^([+-])(\d{2}):(\d{2})$/;
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * Date, time and minutes of `at` on `clock`; undefined for an invalid instant. Throws RangeError
 * for a clock that is neither a known zone nor an offset (the configuration refuses those).
 */
export function localParts(at: Date | number | string, clock: WallClock): LocalParts | undefined {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return undefined;
  const offset = OFFSET.exec(clock);
  let date: string;
  let time: string;
  if (offset) {
    // Intl takes no bare offsets before Node 22: shift the instant and read it as UTC.
    const minutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
    const iso = new Date(ms + minutes * 60_000).toISOString();
    date = iso.slice(0, 10);
    time = iso.slice(11, 16);
  } else {
    const parts = Object.fromEntries(formatFor(clock).formatToParts(ms).map((p) => [p.type, p.value]));
    date = `${parts.year}-${parts.month}-${parts.day}`;
    time = `${parts.hour}:${parts.minute}`;
  }
  return { date, time, minutes: Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) };
}

/** `YYYY-MM-DD` of `at` on `clock`; '' for an invalid instant. */
export function localDate(at: Date | number | string, clock: WallClock): string {
  return localParts(at, clock)?.date ?? '';
}

/** Minutes since local midnight of `at` on `clock`; 0 for an invalid instant. */
export function localMinutes(at: Date | number | string, clock: WallClock): number {
  return localParts(at, clock)?.minutes ?? 0;
}

/** The short day label of an ISO date, day first as in East Africa: "2015-08-17" -> "17/8". */
export function shortDate(isoDate: string): string {
  const [, month, day] = isoDate.split('-');
  return `${Number(day)}/${Number(month)}`;
}

/** `YYYY-MM-DD HH:MM` of `at` on `clock`; '' for an invalid instant. */
export function localDateTime(at: Date | number | string, clock: WallClock): string {
  const parts = localParts(at, clock);
  return parts ? `${parts.date} ${parts.time}` : '';
}
