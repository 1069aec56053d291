/**
 * Invitees of one flow pack (event): the people organisers invited, keyed by E.164 phone. An
 * invitee who dials is greeted by name and registers in one step; the list also gives the
 * "invited" figure of the event's statistics.
 */
export interface Invitee {
  phone: string;
  /** Name with title, as it should greet them ("Dkt. Asha Juma"). */
  name: string;
  institution: string;
  /** An institution type id of the event ('' when not given). */
  institutionType: string;
  /** A cohort id of the event ('' when not given). */
  cohort: string;
  /** ISO time the invitation was stored (or last changed). */
  invitedAt: string;
}

export interface InviteeRepository {
  get(packId: string, phone: string): Promise<Invitee | null>;
  /** Stores each invitee (a phone already invited is updated); resolves how many were new. */
  putMany(packId: string, invitees: readonly Invitee[]): Promise<{ added: number; updated: number }>;
  list(packId: string, page?: { offset?: number; limit?: number }): Promise<{ total: number; items: Invitee[] }>;
  count(packId: string): Promise<number>;
  /** Removes a phone's invitation (erasure); resolves 1 when there was one, else 0. */
  erase(packId: string, phone: string): Promise<number>;
}
