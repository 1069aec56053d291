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
  /**
   * Set when inbound traffic from this phone caused the message (a reply, a registration's
   * confirmation): subject to the per-phone hourly cap and the gateway's reply caps.
   */
  inboundTriggered?: boolean;
  /**
   * For a reply to a number that is not registered: its network (AT's networkCode, or `none`).
   * Such replies are also capped per network and country.
   */
  unknownSender?: { network: string };
  /**
   * With `inboundTriggered`: the short text (in the person's language) sent once per cap window
   * when this phone reaches its hourly cap, so they know why answers stopped.
   */
  capNotice?: string;
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
  /** Counts the message in this group's counts too (a broadcast's; see `messageIdFor`). */
  group?: string;
}

/** Why a recipient was not queued; the ledger entry keeps it as its `reason`. */
export type SkipReason = 'opted_out' | 'invalid_number' | 'duplicate' | 'rate_capped' | 'budget_exhausted' | 'reply_cap' | 'unknown_cap'
  /** Still unsent when its validity passed (`validForMs`): never sent late. */
  | 'expired'
  /** The same text reached this phone SMS_CONTENT_REPEAT_CAP times in 30 minutes already (broadcasts and reminders). */
  | 'repeated_content';

/** What each skip reason means, for a person reading the ledger or a report. */
export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  opted_out: 'The person opted out (STOP/ACHA) and has not opted back in.',
  invalid_number: 'Not a mobile number that can receive SMS.',
  duplicate: 'The same message was already queued for this person.',
  rate_capped: "This phone's hourly cap on replies to its own messages was reached (SMS_PER_PHONE_HOURLY_CAP).",
  budget_exhausted: "Today's SMS budget is spent (SMS_DAILY_BUDGET).",
  reply_cap: "The gateway's hourly or daily cap on replies was reached (SMS_REPLY_HOURLY_CAP, SMS_REPLY_DAILY_CAP).",
  unknown_cap: "The hourly cap on replies to unregistered numbers of this network was reached (SMS_UNKNOWN_HOURLY_CAP).",
  expired: 'Still unsent when the message expired (its validity or the session start passed); never sent late.',
  repeated_content: 'The same text already reached this phone SMS_CONTENT_REPEAT_CAP times in 30 minutes (use force to send anyway).',
};

export type EnqueueResult =
  | { messageId: string; state: 'queued' }
  | { messageId: string; state: 'skipped'; reason: SkipReason };

export interface OutboundMessages {
  /** Records the message in the ledger and queues it. Resolves once it is durably queued or skipped. */
  enqueue(request: OutboundRequest): Promise<EnqueueResult>;
}
