/**
 * Every Redis key name and TTL the gateway uses, in one place. Keys that a Lua script or a
 * MULTI touches together share a hash tag, so each such group lands in one Cluster slot.
 */
export const TTL = {
  /** A finished hop's answer, kept so an AT retry of the same (sessionId, text) gets the same bytes. */
  ussdHopReplayS: 600,
  /** Lock serialising two hops of one session. */
  ussdSessionLockMs: 5000,
  /** AT inbound SMS ids already handled. */
  inboundSmsDedupeS: 7 * 24 * 3600,
  /** USSD end-of-session events kept for the funnel read-out. */
  ussdEventS: 30 * 24 * 3600,
  /** An outbound message's ledger (meta, recipients, counts) after it was created. */
  ledgerS: 30 * 24 * 3600,
  /** Provider message id -> ledger entry, for matching delivery reports. */
  providerMessageIdS: 7 * 24 * 3600,
  /** A delivery report that arrived before its send result was recorded waits this long for it. */
  pendingReportS: 15 * 60,
  /** Per-phone window of the hourly cap on inbound-triggered SMS. */
  phoneCapWindowS: 3600,
  /** A day's segment counter of the daily budget (kept a little past the day). */
  dailyBudgetS: 3 * 24 * 3600,
} as const;

export interface Keys {
  prefix: string;
  /** BullMQ prefix: a hash tag, so each queue's keys stay in one Cluster slot. */
  queuePrefix: string;
  ussd: {
    /** Live snapshot of one session: {sessionId}-tagged with its lock and hop replies. */
    session(sessionId: string): string;
    lock(sessionId: string): string;
    hop(sessionId: string, textHash: string): string;
    /** Last unfinished session of a phone, for resume. */
    resume(phone: string): string;
    /** Counters for the funnel: entries and drop-offs per node. */
    nodeEntries(packId: string): string;
    nodeDropOffs(packId: string): string;
    completions(packId: string): string;
    events(): string;
  };
  /** Per pack: one {pack}-tagged slot holds a pack's delegates, codes, indexes and reminders. */
  delegates: {
    byPhone(packId: string, phone: string): string;
    /** Sorted set phone -> registration time (ms). */
    index(packId: string): string;
    /** Hash code -> phone. */
    byCode(packId: string): string;
  };
  agenda: {
    /** The live event (JSON), seeded from the pack and edited by organisers. */
    event(packId: string): string;
  };
  reminders: {
    /** Set of session codes one phone subscribed to. */
    byPhone(packId: string, phone: string): string;
    /** Set of phones subscribed to one session. */
    bySession(packId: string, sessionCode: string): string;
  };
  /** Outbound SMS: one {m:<messageId>} slot per message so its ledger scripts stay single-slot. */
  messaging: {
    /** Hash: text, purpose, sender, total, createdAt of one message (a single SMS or a broadcast). */
    meta(messageId: string): string;
    /** Hash: recipient index -> JSON ledger entry. */
    recipients(messageId: string): string;
    /** Hash: state -> number of recipients in it; always sums to the message's total. */
    counts(messageId: string): string;
    /** String: provider message id -> `<messageId>:<index>`. */
    providerMessageId(providerMessageId: string): string;
    /** Sorted set of message ids by creation time (ms): every message, for reports. */
    messages(): string;
    /** Sorted set of message ids that may still have queued recipients, by creation time (ms). */
    open(): string;
    /** Sorted set `<messageId>:<index>` -> time (ms) it reached `sent`, awaiting a final report. */
    awaitingReport(): string;
    /** Sorted set `<messageId>:<index>` -> time (ms) it was flagged stale; plus its counter. */
    stale(): string;
    staleCount(): string;
    /** Hash provider id -> raw report JSON, and sorted set provider id -> arrival (ms). */
    pendingReports(): string;
    pendingReportsByTime(): string;
    /** Sorted set: the global send rate limiter's sliding log. */
    rateWindow(): string;
    /** Sorted set of send times (ms) of inbound-triggered SMS to one phone. */
    phoneHourly(phone: string): string;
    /** String: segments queued on one day (YYYY-MM-DD in the configured time zone). */
    dailySegments(day: string): string;
    /** Hash phone -> JSON suppression record: the one opt-out list. */
    suppression(): string;
    /** Capped lists of the local outbox: everything, and one phone's inbox. */
    outboxAll(): string;
    outboxPhone(phone: string): string;
  };
}

/** Builds the key names under `prefix` (from REDIS_PREFIX). */
export function createKeys(prefix: string): Keys {
  const p = prefix;
  return {
    prefix: p,
    queuePrefix: `{${p}-q}`,
    ussd: {
      session: (id) => `${p}:ussd:{${id}}:session`,
      lock: (id) => `${p}:ussd:{${id}}:lock`,
      hop: (id, textHash) => `${p}:ussd:{${id}}:hop:${textHash}`,
      resume: (phone) => `${p}:ussd:resume:${phone}`,
      nodeEntries: (pack) => `${p}:stats:{ussd}:${pack}:entries`,
      nodeDropOffs: (pack) => `${p}:stats:{ussd}:${pack}:dropoffs`,
      completions: (pack) => `${p}:stats:{ussd}:${pack}:completions`,
      events: () => `${p}:ussd:events`,
    },
    delegates: {
      byPhone: (pack, phone) => `${p}:{pack:${pack}}:delegate:${phone}`,
      index: (pack) => `${p}:{pack:${pack}}:delegates`,
      byCode: (pack) => `${p}:{pack:${pack}}:codes`,
    },
    agenda: {
      event: (pack) => `${p}:{pack:${pack}}:event`,
    },
    reminders: {
      byPhone: (pack, phone) => `${p}:{pack:${pack}}:reminders:phone:${phone}`,
      bySession: (pack, code) => `${p}:{pack:${pack}}:reminders:session:${code}`,
    },
    messaging: {
      meta: (id) => `${p}:sms:{m:${id}}:meta`,
      recipients: (id) => `${p}:sms:{m:${id}}:recipients`,
      counts: (id) => `${p}:sms:{m:${id}}:counts`,
      providerMessageId: (pid) => `${p}:sms:pid:${pid}`,
      messages: () => `${p}:sms:messages`,
      open: () => `${p}:sms:open`,
      awaitingReport: () => `${p}:sms:awaiting-report`,
      stale: () => `${p}:sms:stale`,
      staleCount: () => `${p}:sms:stale-count`,
      pendingReports: () => `${p}:sms:{dlr}:pending`,
      pendingReportsByTime: () => `${p}:sms:{dlr}:pending-by-time`,
      rateWindow: () => `${p}:sms:rate-window`,
      phoneHourly: (phone) => `${p}:sms:cap:${phone}`,
      dailySegments: (day) => `${p}:sms:budget:${day}`,
      suppression: () => `${p}:sms:suppression`,
      outboxAll: () => `${p}:outbox:all`,
      outboxPhone: (phone) => `${p}:outbox:phone:${phone}`,
    },
  };
}

