/**
 * The port every store that keeps something about a person implements, so erasure is a loop over
 * stores instead of one function that knows each module's private layout.
 */

/** A store that can forget (or mask) what it holds about one phone number. */
export interface Erasable {
  /**
   * Erases or masks what this store keeps about `phone` in pack `packId` (stores that are not per
   * pack, such as the outbound ledger, treat every pack alike). Resolves to the number of records
   * it changed, 0 when there was nothing. Safe to run twice; never touches other numbers.
   */
  erase(packId: string, phone: string): Promise<number>;
}

/** The stores erasure runs over, by the name each one reports under. */
export type ErasableStores = Readonly<Record<string, Erasable>>;

/** What replaces a one-to-one message text that named the erased person. */
export const ERASED_TEXT = '[erased]';
