/** The pipeline's Prometheus metrics, created once per `Metrics` registry. */
import type { Metrics } from '../../kernel/metrics';
import type { RecipientState } from './types';

export interface MessagingMetrics {
  /** A recipient entered `state` (sent, delivered, failed, skipped, uncertain). */
  entered(state: RecipientState, count?: number): void;
  report(outcome: string): void;
  /** A delivery report moved a recipient on `network` (a closed label) to `state`. */
  byNetwork(network: string, state: string): void;
  stale(count: number): void;
  /** A reply was refused by a gateway-wide cap (the alert metric: it should stay at zero). */
  capped(cap: 'reply_cap' | 'unknown_cap'): void;
}

export function createMessagingMetrics(metrics: Metrics): MessagingMetrics {
  const recipients = metrics.counter('kiungo_sms_recipients_total', 'SMS recipients that reached a ledger state', ['state'] as const);
  const reports = metrics.counter('kiungo_sms_delivery_reports_total', 'Delivery reports received, by how they were handled', ['outcome'] as const);
  const outcomes = metrics.counter('kiungo_sms_outcomes_by_network_total', 'SMS recipients moved by a delivery report, by network and state', ['network', 'state'] as const);
  const stale = metrics.counter('kiungo_sms_stale_total', 'Sent SMS flagged stale (no final delivery report in time)', [] as const);
  const capped = metrics.counter('kiungo_sms_replies_capped_total', 'Replies skipped because a gateway-wide reply cap was reached (alert when it grows)', ['cap'] as const);
  return {
    capped: (cap) => capped.inc({ cap }),
    entered: (state, count = 1) => { if (count > 0 && state !== 'queued' && state !== 'sending') recipients.inc({ state }, count); },
    report: (outcome) => reports.inc({ outcome }),
    byNetwork: (network, state) => outcomes.inc({ network, state }),
    stale: (count) => { if (count > 0) stale.inc(count); },
  };
}
