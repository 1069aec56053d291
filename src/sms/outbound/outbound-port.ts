/**
 * The one way out for an SMS, as the use cases see it. The adapter behind it is the BullMQ
 * pipeline with its per-recipient ledger; callers never talk to a provider directly.
 */
export type MessagePurpose =
  /** Answer to someone who just texted or dialled us: highest priority lane. */
  | 'reply'
  /** Registration code and other confirmations of a person's own action. */
  | 'confirmation'
  /** Opt-out / opt-in confirmations: the only messages allowed right after an opt-out. */
  | 'optout_confirmation'
  | 'reminder'
  | 'broadcast';

export interface OutboundRequest {
  /** E.164 phone number. */
  to: string;
  text: string;
  purpose: MessagePurpose;
  /** Same key, same message: a second enqueue with it changes nothing and returns the first id. */
  idempotencyKey: string;
  /** Set when inbound traffic from this phone caused the message: subject to the per-phone hourly cap. */
  inboundTriggered?: boolean;
  /** The pack (service) the message belongs to; it then counts in that pack's SMS figures. Absent: the gateway's only. */
  packId?: string;
  /**
   * How long from now it may still go out (a reminder: until its session starts); what is unsent
   * then is skipped `expired`. 0 or less: already expired. Relative, so the caller's clock and the
   * pipeline's need not agree.
   */
  validForMs?: number;
  /** The organiser insists: the content guard does not apply. */
  force?: boolean;
}

/** Why a recipient was not queued; the ledger entry keeps it as its `reason`. */
export type SkipReason = 'opted_out' | 'invalid_number' | 'duplicate' | 'rate_capped' | 'budget_exhausted'
  /** Still unsent when its validity passed (`validForMs`): never sent late. */
  | 'expired'
  /** The same text reached this phone SMS_CONTENT_REPEAT_CAP times in 30 minutes already (broadcasts and reminders). */
  | 'repeated_content';

export type EnqueueResult =
  | { messageId: string; state: 'queued' }
  | { messageId: string; state: 'skipped'; reason: SkipReason };

export interface OutboundMessages {
  /** Records the message in the ledger and queues it. Resolves once it is durably queued or skipped. */
  enqueue(request: OutboundRequest): Promise<EnqueueResult>;
}
