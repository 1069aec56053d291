/** Reminder subscriptions: which phones want a reminder for which sessions. */
export interface ReminderRepository {
  /** True when newly subscribed, false when it already was. */
  subscribe(packId: string, phone: string, sessionCode: string): Promise<boolean>;
  /** True when a subscription was removed. */
  unsubscribe(packId: string, phone: string, sessionCode: string): Promise<boolean>;
  listForPhone(packId: string, phone: string): Promise<string[]>;
  subscribers(packId: string, sessionCode: string): Promise<string[]>;
  /** Drops every subscription of a phone (erasure). */
  removeAll(packId: string, phone: string): Promise<void>;
}
