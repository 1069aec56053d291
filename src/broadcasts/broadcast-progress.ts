/** Counts of a broadcast: the ledger's counts of every group it fanned out, plus what never left. */
import type { StateCounts, LedgerEntry, RecipientState } from '../sms/outbound/types';
import type { BroadcastRecipientState, BroadcastStatus } from './broadcast-types';
import type { BroadcastRecord } from './broadcasts.redis';

export const FINAL: readonly BroadcastRecipientState[] = ['sent', 'delivered', 'failed', 'skipped', 'uncertain', 'cancelled'];

export interface LedgerReader {
  countsByGroup(messageId: string): Promise<StateCounts | undefined>;
  listByGroup(messageId: string, options?: { state?: RecipientState; offset?: number; limit?: number }): Promise<LedgerEntry[]>;
}

export function emptyCounts(): Record<BroadcastRecipientState, number> {
  return { queued: 0, sending: 0, sent: 0, delivered: 0, failed: 0, skipped: 0, uncertain: 0, cancelled: 0 };
}

/** Sums the groups' counts, 200 at a time. */
export async function sumGroups(ledger: LedgerReader, groups: string[]): Promise<Record<BroadcastRecipientState, number>> {
  const counts = emptyCounts();
  for (let i = 0; i < groups.length; i += 200) {
    const chunk = await Promise.all(groups.slice(i, i + 200).map((g) => ledger.countsByGroup(g)));
    for (const c of chunk) if (c) for (const state of Object.keys(counts) as BroadcastRecipientState[]) counts[state] += (c as Partial<Record<BroadcastRecipientState, number>>)[state] ?? 0;
  }
  return counts;
}

/** The status shown to organisers; `now` in ms. */
export function statusOf(record: BroadcastRecord, ledgerCounts: Record<BroadcastRecipientState, number>, now: number): BroadcastStatus {
  const counts = { ...ledgerCounts };
  const inLedger = Object.values(ledgerCounts).reduce((a, b) => a + b, 0);
  const notFannedOut = Math.max(0, record.total - inLedger);
  if (record.state === 'cancelled') counts.cancelled += notFannedOut;
  else counts.queued += notFannedOut;
  const done = FINAL.reduce((sum, s) => sum + counts[s], 0);
  const progress = record.total === 0 ? 1 : done / record.total;
  const started = record.startedAt ? new Date(record.startedAt).getTime() : undefined;
  const elapsedS = started ? Math.max(1, (now - started) / 1000) : 0;
  const sentSoFar = done - counts.cancelled - counts.skipped;
  const ratePerSecond = started ? Math.round((sentSoFar / elapsedS) * 10) / 10 : 0;
  const remaining = record.total - done;
  const state = record.state === 'sending' && remaining === 0 ? 'completed' : record.state;
  return {
    id: record.id,
    name: record.name,
    state,
    createdAt: record.createdAt,
    sendAt: record.sendAt,
    urgent: record.urgent,
    expiresAt: record.expiresAt ?? null,
    heldByQuietHours: state === 'scheduled' && !record.urgent && Date.parse(record.sendAt) > Math.max(Date.parse(record.draft.sendAt ?? record.createdAt) || 0, Date.parse(record.createdAt)),
    total: record.total,
    counts,
    progress: Math.round(progress * 1000) / 1000,
    ratePerSecond,
    etaSeconds: remaining === 0 ? 0 : ratePerSecond > 0 && state === 'sending' ? Math.ceil(remaining / ratePerSecond) : null,
  };
}
