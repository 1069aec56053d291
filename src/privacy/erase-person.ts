/**
 * Erasure on request (Tanzania's Personal Data Protection Act, 2022): every store that keeps
 * something about a person forgets it. Each store knows its own layout (registration, reminders
 * and their refs, USSD sessions and stored end-of-session notifications, inbound SMS state,
 * broadcast recipient lists, the local outbox); ledger entries stay (the counts of a broadcast must
 * still add up) but carry a masked number. The opt-out list keeps the number, because honouring an
 * opt-out needs it.
 */
import type { ErasableStores } from './erasable';

export { ERASED_TEXT } from './erasable';
export type { Erasable, ErasableStores } from './erasable';

/** Records changed per store, under the store's name. */
export type ErasureReport = Record<string, number>;

/**
 * Erases one person's data in one pack from every store, one store after the other (a failing
 * store rejects the whole request, which the caller may repeat: every store is safe to run twice).
 */
export async function erasePerson(stores: ErasableStores, packId: string, phone: string): Promise<ErasureReport> {
  const report: ErasureReport = {};
  for (const [name, store] of Object.entries(stores)) report[name] = await store.erase(packId, phone);
  return report;
}
