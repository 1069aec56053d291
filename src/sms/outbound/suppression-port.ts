/** The one opt-out list: STOP keywords, AT's opt-out callback and blacklist results all feed it. */
export type SuppressionSource = 'keyword' | 'at_opt_out' | 'provider_blacklist' | 'delivery_report' | 'api';

export interface SuppressionList {
  /** True when the phone was not suppressed before. `senderId` limits it to one sender (AT opt-outs). */
  suppress(phone: string, source: SuppressionSource, senderId?: string): Promise<boolean>;
  /** True when the phone was suppressed before. */
  unsuppress(phone: string): Promise<boolean>;
  isSuppressed(phone: string, sender: string | undefined): Promise<boolean>;
  /** Opted-out numbers, newest first, with the source and time of each; `search` matches digits. */
  list?(options?: { search?: string; offset?: number; limit?: number }): Promise<{ total: number; items: Array<{ phone: string; source: string; at: string; senders: string[] }> }>;
}
