/** Outbound SMS by state over the most recent messages, and their cost, for the dashboard. */
import type { MessageMeta, StateCounts } from '../sms/outbound/types';
import type { SmsStats } from './stats';

/** What the figures are read from: the outbound ledger. */
export interface SmsLedgerReader {
  listMessages(options?: { limit?: number }): Promise<string[]>;
  getMessage(messageId: string): Promise<MessageMeta | undefined>;
  countsByGroup(messageId: string): Promise<StateCounts | undefined>;
}

/**
 * States summed over the `recent` newest messages, and their cost at `pricePerSegment` (segments
 * that reached the provider: sent, delivered, uncertain). Reads only; never changes the ledger.
 */
export async function smsStats(ledger: SmsLedgerReader, price: { currency: string; pricePerSegment: number }, recent = 2000): Promise<SmsStats> {
  const byState: Record<string, number> = {};
  let segments = 0;
  for (const id of await ledger.listMessages({ limit: recent })) {
    const [meta, counts] = await Promise.all([ledger.getMessage(id), ledger.countsByGroup(id)]);
    if (!meta || !counts) continue;
    for (const [state, n] of Object.entries(counts)) if (state !== 'total') byState[state] = (byState[state] ?? 0) + n;
    segments += (counts.sent + counts.delivered + counts.uncertain) * meta.segments;
  }
  return { byState, cost: { currency: price.currency, amount: Math.round(segments * price.pricePerSegment * 100) / 100 } };
}
