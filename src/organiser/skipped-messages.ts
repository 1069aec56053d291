/**
 * Messages the gateway did not send, and why: opted out, over the per-phone cap, the day's budget
 * spent, an invalid number or a duplicate. Read from the outbound ledger over one pack's most
 * recent messages, newest first; never changes anything.
 */
import { maskPhone } from '../kernel/phone';
import type { LedgerEntry, MessageMeta, RecipientState, StateCounts } from '../sms/outbound/types';

export interface SkippedLedgerReader {
  listMessages(options?: { limit?: number; packId?: string }): Promise<string[]>;
  getMessage(messageId: string): Promise<MessageMeta | undefined>;
  countsByGroup(messageId: string): Promise<StateCounts | undefined>;
  listByGroup(messageId: string, options?: { state?: RecipientState; offset?: number; limit?: number }): Promise<LedgerEntry[]>;
}

export interface SkippedMessage {
  at: string;
  phone: string;
  reason: string;
  purpose: string;
  /** The message's first 80 characters. */
  text: string;
  messageId: string;
}

export interface SkippedReport {
  /** Skipped recipients by reason, over the messages read. */
  byReason: Record<string, number>;
  items: SkippedMessage[];
  /** How many of the pack's newest messages were read. */
  messagesRead: number;
}

/** The skipped recipients of the `recent` newest messages of `packId` (at most `limit` rows); phones masked when `mask`. */
export async function skippedMessages(ledger: SkippedLedgerReader, packId: string, options: { recent?: number; limit?: number; mask?: boolean } = {}): Promise<SkippedReport> {
  const ids = await ledger.listMessages({ limit: options.recent ?? 500, packId });
  const byReason: Record<string, number> = {};
  const items: SkippedMessage[] = [];
  const limit = options.limit ?? 200;
  for (const id of ids) {
    const counts = await ledger.countsByGroup(id);
    if (!counts?.skipped) continue;
    const meta = await ledger.getMessage(id);
    for (const entry of await ledger.listByGroup(id, { state: 'skipped', limit: 1000 })) {
      const reason = entry.reason ?? 'unknown';
      byReason[reason] = (byReason[reason] ?? 0) + 1;
      if (items.length < limit) {
        items.push({ at: new Date(entry.updatedAt).toISOString(), phone: options.mask ? maskPhone(entry.phone) : entry.phone, reason, purpose: meta?.purpose ?? '', text: (meta?.text ?? '').slice(0, 80), messageId: id });
      }
    }
  }
  items.sort((a, b) => b.at.localeCompare(a.at));
  return { byReason, items, messagesRead: ids.length };
}
