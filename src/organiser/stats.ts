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
  ussd: { funnel: FunnelRow[]; graph?: FunnelGraph; late?: LateStats };
  sms: SmsStats | null;
  /** Per network: hop time, session ends by cause, SMS outcomes. */
  networks?: Record<string, NetworkStats>;
}

export interface FunnelRow {
  node: string;
  entries: number;
  dropOffs: number;
  completions: number;
  /** The screen's name in each language (the node id when the pack is not known). */
  screen?: { sw: string; en: string };
  /** On the shortest path from the first screen to a registration. */
  toRegistered?: boolean;
}

/** A screen of the pack, in the order callers meet them. */
export interface FunnelScreen { node: string; type?: string; name: { sw: string; en: string }; toRegistered: boolean; links?: string[] }

/** The menu graph with the funnel's counts on it, for drawing (nodes in flow order). */
export interface FunnelGraph {
  nodes: Array<{ node: string; type: string; name: { sw: string; en: string }; entries: number; dropOffs: number; toRegistered: boolean }>;
  edges: Array<[string, string]>;
}

/** The pack's graph with each node's entries and drop-offs. */
export function funnelGraph(funnel: Funnel, screens: readonly FunnelScreen[]): FunnelGraph {
  return {
    nodes: screens.map((s) => ({ node: s.node, type: s.type ?? 'menu', name: s.name, entries: funnel.entries[s.node] ?? 0, dropOffs: funnel.dropOffs[s.node] ?? 0, toRegistered: s.toRegistered })),
    edges: screens.flatMap((s) => (s.links ?? []).map((to): [string, string] => [s.node, to])),
  };
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

/**
 * The funnel as rows per node: in flow order with screen names when the pack's `screens` are
 * given (every screen on the path to registration kept, even at zero; nodes the pack no longer
 * has last), else busiest first.
 */
export function funnelRows(funnel: Funnel, screens?: readonly FunnelScreen[]): FunnelRow[] {
  const nodes = new Set([...Object.keys(funnel.entries), ...Object.keys(funnel.dropOffs), ...Object.keys(funnel.completions)]);
  const row = (node: string): FunnelRow => ({ node, entries: funnel.entries[node] ?? 0, dropOffs: funnel.dropOffs[node] ?? 0, completions: funnel.completions[node] ?? 0 });
  if (!screens) return [...nodes].map(row).sort((a, b) => b.entries - a.entries || a.node.localeCompare(b.node));
  const known = new Set(screens.map((s) => s.node));
  const inOrder = screens
    .filter((s) => s.toRegistered || nodes.has(s.node))
    .map((s) => ({ ...row(s.node), screen: s.name, toRegistered: s.toRegistered }));
  const gone = [...nodes].filter((n) => !known.has(n)).sort().map(row);
  return [...inOrder, ...gone];
}
