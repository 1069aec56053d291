/**
 * The numbers on the organiser's dashboard: registrations by cohort, institution type, channel
 * and day (in the event's own time zone), the USSD funnel and outbound SMS by state and cost.
 */
import type { Delegate } from '../event/delegates';
import { localDate } from '../kernel/local-time';

export type Funnel = { entries: Record<string, number>; dropOffs: Record<string, number>; completions: Record<string, number> };
export type SmsStats = {
  byState: Record<string, number>;
  cost: { currency: string; amount: number };
  /** The gateway-wide reply caps; `warning` is the line the console shows once a cap is reached. */
  replyCaps?: { hour: { used: number; cap: number }; day: { used: number; cap: number }; warning: string | null };
};

export interface RegistrationStats {
  total: number;
  byCohort: Record<string, number>;
  byInstitutionType: Record<string, number>;
  byChannel: Record<string, number>;
  /** YYYY-MM-DD (event wall clock) -> registrations that day, oldest first. */
  byDay: Record<string, number>;
}

/** Late action results of the pack: past their deadline, delivered by SMS, never came. */
export type LateStats = { late: number; recovered: number; lost: number };

/** One network's figures (labels: vodacom, yas, airtel, halotel, other). */
export interface NetworkStats {
  ussd: { hops: number; meanHopMs: number; busy: number; sessionEnds: Record<string, number>; deadlineMs?: number };
  sms: Record<string, number>;
}

/** Invited, registered, and how many of the invited registered; `checkedIn` is filled by the check-in module (null without it). */
export interface AttendanceStats {
  invited: number;
  registered: number;
  invitedRegistered: number;
  checkedIn: number | null;
  /** With check-in running: per event day, those checked in. */
  days?: Array<{ day: string; checkedIn: number }>;
  checkedInAtLeastOnce?: number;
}

export interface DashboardStats {
  registrations: RegistrationStats;
  attendance: AttendanceStats;
  ussd: { funnel: Array<{ node: string; entries: number; dropOffs: number; completions: number }>; late?: LateStats };
  sms: SmsStats | null;
  /** Per network: hop time, session ends by cause, SMS outcomes. */
  networks?: Record<string, NetworkStats>;
}

const bump = (counts: Record<string, number>, key: string) => { counts[key] = (counts[key] ?? 0) + 1; };

/** Day of `iso` on a wall clock `utcOffset` (e.g. "+03:00") from UTC; '' for a bad time. */
export function localDay(iso: string, utcOffset: string): string {
  return localDate(iso, utcOffset);
}

/** Counts registrations; never throws. */
export function registrationStats(delegates: readonly Delegate[], utcOffset: string): RegistrationStats {
  const stats: RegistrationStats = { total: delegates.length, byCohort: {}, byInstitutionType: {}, byChannel: {}, byDay: {} };
  for (const d of delegates) {
    bump(stats.byCohort, d.cohort || 'unknown');
    bump(stats.byInstitutionType, d.institutionType || 'unknown');
    bump(stats.byChannel, d.channel);
    const day = localDay(d.registeredAt, utcOffset);
    if (day) bump(stats.byDay, day);
  }
  stats.byDay = Object.fromEntries(Object.entries(stats.byDay).sort(([a], [b]) => a.localeCompare(b)));
  return stats;
}

/** The funnel as rows per node, busiest first. */
export function funnelRows(funnel: Funnel): DashboardStats['ussd']['funnel'] {
  const nodes = new Set([...Object.keys(funnel.entries), ...Object.keys(funnel.dropOffs), ...Object.keys(funnel.completions)]);
  return [...nodes]
    .map((node) => ({ node, entries: funnel.entries[node] ?? 0, dropOffs: funnel.dropOffs[node] ?? 0, completions: funnel.completions[node] ?? 0 }))
    .sort((a, b) => b.entries - a.entries || a.node.localeCompare(b.node));
}
