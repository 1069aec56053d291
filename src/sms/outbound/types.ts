/**
 * The ledger's vocabulary: one entry per (message, recipient), whose state only moves forward.
 *
 * ```
 * queued ──> sending ──> sent ──> delivered
 *   │          │  │        └────> failed ──> delivered (a later Success report: the handset has it)
 *   │          │  └─> uncertain ─> sent | delivered | failed (only a delivery report resolves it)
 *   │          └─> queued (the provider said nothing went out: retry) | failed | delivered
 *   └─> skipped | failed
 * ```
 */
import type { MessagePurpose } from './outbound-port';

export type RecipientState = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'skipped' | 'uncertain';

export const RECIPIENT_STATES: readonly RecipientState[] = ['queued', 'sending', 'sent', 'delivered', 'failed', 'skipped', 'uncertain'];

/** One recipient's ledger entry, as stored (JSON) and returned by the read API. */
export interface LedgerEntry {
  index: number;
  phone: string;
  state: RecipientState;
  /** Skip reason, failure reason or why it is uncertain. */
  reason?: string;
  providerMessageId?: string;
  cost?: { currency: string; amount: number };
  parts?: number;
  statusCode?: number;
  /** Provider calls made for this recipient. */
  attempts?: number;
  /** Last delivery report status as AT spelled it, and its network. */
  lastReport?: string;
  networkCode?: string;
  /** The SMS route (SMS_ROUTES name) whose call carried it, or that may have it when uncertain. */
  route?: string;
  /** Epoch ms of the last change. */
  updatedAt: number;
}

export type MessageKind = 'single' | 'broadcast';

/** A message: one text to one recipient (`single`) or to many (`broadcast`). It is its own send group. */
export interface MessageMeta {
  messageId: string;
  kind: MessageKind;
  purpose: MessagePurpose;
  text: string;
  from?: string;
  total: number;
  /** Estimated segments per recipient. */
  segments: number;
  /** Recipients per provider call / job. */
  batchSize: number;
  createdAt: number;
  /** The pack the message belongs to (see `OutboundRequest.packId`); absent for the gateway's own. */
  packId?: string;
  /** Epoch ms after which nothing more of it is sent (what is still queued then is skipped `expired`). */
  expiresAt?: number;
}

export type StateCounts = Record<RecipientState, number> & { total: number };

/** Priority lanes: people waiting for an answer never queue behind a broadcast. */
export type Lane = 'priority' | 'bulk';

export function laneOf(purpose: MessagePurpose): Lane {
  return purpose === 'broadcast' || purpose === 'reminder' ? 'bulk' : 'priority';
}

/** BullMQ job payload: ids and indexes only, never a phone number or a name. */
export interface SendJobData {
  messageId: string;
  /** Recipient index range [start, end) of this batch. */
  start: number;
  end: number;
}
