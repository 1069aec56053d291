/** The local outbox as the admin API and the simulator's inbox read it: newest first, from an id on. */
import type { OutboxStore } from './outbox-sms-provider';

export interface OutboxListItem {
  id: string;
  to: string;
  text: string;
  at: string;
  state: string;
}

export type OutboxListing = (query: { phone?: string; limit: number; sinceId?: string }) => Promise<OutboxListItem[]>;

/** Messages in the outbox (for one phone if given), newest first; with `sinceId`, only those newer than it. */
export function createOutboxListing(store: Pick<OutboxStore, 'list'>): OutboxListing {
  return async (query) => {
    const newestFirst = await store.list({ ...(query.phone ? { phone: query.phone } : {}), limit: query.limit });
    const seen = query.sinceId ? newestFirst.findIndex((m) => m.id === query.sinceId) : -1;
    return (seen >= 0 ? newestFirst.slice(0, seen) : newestFirst).map((m) => ({ id: m.id, to: m.to, text: m.message, at: new Date(m.at).toISOString(), state: 'sent' }));
  };
}
