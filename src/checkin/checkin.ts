/**
 * Check-in at the desk: one record per delegate and local day, so checking in twice is the same
 * as once and attendance counts per day.
 */
export interface CheckIn {
  phone: string;
  /** Local day (YYYY-MM-DD in the event's time). */
  day: string;
  /** ISO time of the first check-in that day. */
  at: string;
  by: 'desk' | 'sms' | 'ussd';
}

export interface CheckInStore {
  /** Records the check-in unless one exists that day; `created` false means it already did. */
  checkIn(packId: string, entry: CheckIn): Promise<{ created: boolean; at: string }>;
  /** The phone's check-in on `day`, or null. */
  get(packId: string, phone: string, day: string): Promise<CheckIn | null>;
  /** Days with at least one check-in, sorted. */
  days(packId: string): Promise<string[]>;
  /** Phone -> ISO time of every check-in of one day. */
  ofDay(packId: string, day: string): Promise<Record<string, string>>;
  /** Phones checked in on any day. */
  everyone(packId: string): Promise<Set<string>>;
}

export interface Attendance {
  /** Per day with a check-in (and every event day), sorted. */
  days: Array<{ day: string; checkedIn: number }>;
  /** Delegates checked in on at least one day. */
  checkedInAtLeastOnce: number;
  registered: number;
}

export async function attendance(store: CheckInStore, packId: string, eventDays: readonly string[], registered: ReadonlySet<string>): Promise<Attendance> {
  const days = [...new Set([...eventDays, ...(await store.days(packId))])].sort();
  const rows: Attendance['days'] = [];
  for (const day of days) rows.push({ day, checkedIn: Object.keys(await store.ofDay(packId, day)).filter((p) => registered.has(p)).length });
  const anyDay = [...(await store.everyone(packId))].filter((p) => registered.has(p)).length;
  return { days: rows, checkedInAtLeastOnce: anyDay, registered: registered.size };
}
