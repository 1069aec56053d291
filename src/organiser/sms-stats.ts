/** Outbound SMS by state over the most recent messages of one pack, and their cost, for the dashboard. */
import type { MessageMeta, StateCounts } from '../sms/outbound/types';
import type { SmsStats } from './stats';

/** What the figures are read from: the outbound ledger. */
export interface SmsLedgerReader {
  /** Message ids, newest first; with `packId`, only the messages tagged with that pack. */
  listMessages(options?: { limit?: number; packId?: string }): Promise<string[]>;
  getMessage(messageId: string): Promise<MessageMeta | undefined>;
  countsByGroup(messageId: string): Promise<StateCounts | undefined>;
}

export interface SmsStatsScope {
  /** Only this pack's messages; absent: every message of the gateway, with or without a pack. */
  packId?: string;
  /** How many of the newest messages are summed (default 2000). */
  recent?: number;
}

/**
 * States summed over the `recent` newest messages (of `scope.packId` when given), and their cost
 * at `pricePerSegment` (segments that reached the provider: sent, delivered, uncertain). A message
 * sent for no pack counts in no pack's figures. Reads only; never changes the ledger.
 */
export async function smsStats(ledger: SmsLedgerReader, price: { currency: string; pricePerSegment: number }, scope: SmsStatsScope = {}): Promise<SmsStats> {
  const byState: Record<string, number> = {};
  let segments = 0;
  const ids = await ledger.listMessages({ limit: scope.recent ?? 2000, ...(scope.packId !== undefined ? { packId: scope.packId } : {}) });
  for (const id of ids) {
    const [meta, counts] = await Promise.all([ledger.getMessage(id), ledger.countsByGroup(id)]);
    if (!meta || !counts) continue;
    for (const [state, n] of Object.entries(counts)) if (state !== 'total') byState[state] = (byState[state] ?? 0) + n;
    segments += (counts.sent + counts.delivered + counts.uncertain) * meta.segments;
  }
  return { byState, cost: { currency: price.currency, amount: Math.round(segments * price.pricePerSegment * 100) / 100 } };
}
