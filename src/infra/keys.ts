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
  delegates: {
    byPhone(phone: string): string;
    index(): string;
    byCode(): string;
    registrationsByDay(): string;
  };
  agenda: {
    event(packId: string): string;
  };
  reminders: {
    byPhone(phone: string): string;
    bySession(packId: string, sessionCode: string): string;
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
      byPhone: (phone) => `${p}:{dlg}:delegate:${phone}`,
      index: () => `${p}:{dlg}:delegates`,
      byCode: () => `${p}:{dlg}:codes`,
      registrationsByDay: () => `${p}:{dlg}:by-day`,
    },
    agenda: {
      event: (pack) => `${p}:agenda:${pack}`,
    },
    reminders: {
      byPhone: (phone) => `${p}:{rem}:phone:${phone}`,
      bySession: (pack, code) => `${p}:{rem}:session:${pack}:${code}`,
    },
  };
}
