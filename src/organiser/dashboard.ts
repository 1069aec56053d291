/**
 * The dashboard's time series (registrations and SMS sent, delivered and failed per minute, and
 * the delivery rate) and its network breakdown, from the counters and the delegate records.
 */
import type { Delegate } from '../event/delegates';
import type { DashboardSeries, SeriesState } from './dashboard-series.redis';
import { networkRows } from './networks';

export interface TimeSeries {
  /** Start of each minute, Unix seconds (what charting libraries take). */
  minutes: number[];
  registrations: number[];
  sent: number[];
  delivered: number[];
  failed: number[];
  /** Delivered / (delivered + failed) in that minute, 0..1; null for a minute with no final report. */
  deliveryRate: Array<number | null>;
}

export interface DashboardExtras {
  timeSeries: TimeSeries;
  sessionsByNetwork: Array<{ code: string; name: string; sessions: number }>;
}

/** Series over the `span` minutes ending with the minute of `now`; registrations counted from `delegates`. */
export async function dashboardExtras(packId: string, delegates: readonly Delegate[], series: DashboardSeries, now: Date, span: number): Promise<DashboardExtras> {
  const last = Math.floor(now.getTime() / 60_000);
  const first = last - span + 1;
  const sms: Record<SeriesState, number[]> = await series.smsPerMinute(first, last);
  const registrations = new Array<number>(span).fill(0);
  for (const d of delegates) {
    const at = Math.floor(Date.parse(d.registeredAt) / 60_000) - first;
    if (at >= 0 && at < span) registrations[at] = (registrations[at] ?? 0) + 1;
  }
  const deliveryRate = sms.delivered.map((delivered, i) => {
    const final = delivered + (sms.failed[i] ?? 0);
    return final === 0 ? null : Math.round((delivered / final) * 1000) / 1000;
  });
  return {
    timeSeries: { minutes: registrations.map((_, i) => (first + i) * 60), registrations, ...sms, deliveryRate },
    sessionsByNetwork: networkRows(await series.networks(packId)),
  };
}
