/**
 * Every Redis key name, TTL and BullMQ queue name the gateway uses, in one place. Keys that a Lua
 * script or a MULTI touches together share a hash tag, so each such group lands in one Cluster
 * slot. No other file spells a key: `test/infra/redis/keys-home.test.ts` keeps it so.
 */

/** BullMQ queue names (under `Keys.queuePrefix`). Renaming one strands the jobs already queued. */
export const QUEUES = {
  smsPriority: 'sms-priority',
  smsBulk: 'sms-bulk',
  inboundSms: 'sms-inbound',
  reminders: 'reminders',
  broadcastFanout: 'broadcast-fanout',
} as const;

export const TTL = {
  /** A finished hop's answer, kept so an AT retry of the same (sessionId, text) gets the same bytes. */
  ussdHopReplayS: 600,
  /** Lock serialising two hops of one session. */
  ussdSessionLockMs: 5000,
  /** An inbound SMS stored under its AT id (and its job kept as long), so a retried callback is handled once. */
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
  /** One help reply per phone per hour to unrecognised texts. */
  helpSentS: 3600,
  /** Finished reminder jobs: completed ones a week, failed ones a month (for inspection). */
  reminderJobCompletedS: 7 * 24 * 3600,
  reminderJobFailedS: 30 * 24 * 3600,
  /** Finished broadcast wave jobs: completed a day, failed a month. */
  fanoutJobCompletedS: 24 * 3600,
  fanoutJobFailedS: 30 * 24 * 3600,
  /** Finished send jobs: completed an hour (memory stays flat), failed a week (the sweeper reads them first). */
  sendJobCompletedS: 3600,
  sendJobFailedS: 7 * 24 * 3600,
  /** How long a failed admin sign-in counts against its address and guess fingerprint. */
  signInFailureWindowS: 300,
  /** A late action's record and the recent recovered/lost lists. */
  lateRecordS: 7 * 24 * 3600,
  /** The marker that a session's recovery SMS was decided (longer than AT repeats a notification). */
  recoveryIssuedS: 24 * 3600,
  /** How long a wrong webhook key counts against its address. */
  webhookKeyFailureWindowS: 300,
  /** Gateway-wide reply counters: an hour's kept two hours, a day's three days. */
  replyHourS: 2 * 3600,
  replyDayS: 3 * 24 * 3600,
  /** Replies to unregistered numbers per network and country, per hour. */
  unknownHourS: 2 * 3600,
  /** A phone told that its cap is reached is told once per cap window. */
  capNoticeS: 3600,
  /** The language a phone chose before registering (kept for its reminders and replies). */
  phoneLanguageS: 180 * 24 * 3600,
  /** One "you are opted out" answer per phone per hour to keywords from an opted-out phone. */
  optedOutNoticeS: 3600,
  /** The question an SMS registration is waiting on (cohort, institution type) stays open this long. */
  followUpS: 7 * 24 * 3600,
  /** The content guard's window: the same text to the same phone counts this long. */
  contentRepeatWindowS: 30 * 60,
  /** Per-minute dashboard counters: two days, so the series stays bounded whatever the traffic. */
  dashboardMinuteS: 2 * 24 * 3600,
} as const;

/** Escapes Redis glob characters, so a value taken from outside (a USSD sessionId) matches only itself. */
export function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

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
    /** SCAN pattern of every live session snapshot. */
    sessionPattern(): string;
    /** SCAN pattern of every key of one session (snapshot, lock, hop answers); glob-safe. */
    sessionKeysPattern(sessionId: string): string;
    /** The sessionId inside a key that `sessionPattern` found, or null for any other key. */
    sessionIdOf(sessionKey: string): string | null;
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
    /** Hash subscriber ref -> phone (job payloads carry the ref, not the number). */
    subscriberRefs(packId: string): string;
  };
  /** Inbound SMS: each message under its AT id until handled, and the hourly help-reply marker. */
  inbound: {
    message(atId: string): string;
    /** SCAN pattern of every stored inbound message. */
    messagePattern(): string;
    helpSent(phone: string): string;
  };
  /** Broadcasts: one {bc:<id>} slot per broadcast, an index by creation time and the idempotency map. */
  broadcasts: {
    /** Hash: meta JSON plus the mutable state fields. */
    record(broadcastId: string): string;
    /** List of frozen recipients (JSON `{p, l}`). */
    recipients(broadcastId: string): string;
    /** Sets of ledger groups fanned out, first sends and re-sends. */
    groups(broadcastId: string): string;
    resends(broadcastId: string): string;
    /** String with a TTL: the lease of the one request creating the broadcast (its token). */
    creating(broadcastId: string): string;
    index(): string;
    idempotency(): string;
  };
  /**
   * Outbound SMS: one {m:<messageId>} slot per message so its ledger scripts stay single-slot; a
   * message of a counted group (`<group>~<id>`, see `messageIdFor`) is in its group's {m:<group>}
   * slot, with the group's counts.
   */
  messaging: {
    /** Hash: state -> recipients in it over every message of one group (a broadcast), `total` included. */
    groupCounts(group: string): string;
    /** Hash: text, purpose, sender, total, createdAt of one message (a single SMS or a broadcast). */
    meta(messageId: string): string;
    /** Hash: recipient index -> JSON ledger entry (the earlier layout: still read, no longer written). */
    recipients(messageId: string): string;
    /**
     * Hash: one bucket of a message's ledger, entries `bucket * 100` onwards: index within the
     * bucket -> packed entry, and `b` -> the entries' base time (see ledger-codec.ts).
     */
    recipientBucket(messageId: string, bucket: number): string;
    /** Hash: state -> number of recipients in it; always sums to the message's total. */
    counts(messageId: string): string;
    /**
     * Hash: provider message id -> its ledger entry, one per UTC day of sending and shard of the id
     * (small hashes Redis stores compactly; the shards spread a Cluster's slots); each expires with
     * the last id it got. Field: an AT id's 16 bytes in base64url, `~<id>` for others (before: the id, AT's
     * `ATXid_` left off). Value: `<messageId>:<index>`, or `*<alias>:<index in base 36>` with the
     * message's alias of the day (`providerIdAliases`).
     */
    providerIds(day: number, shard: number): string;
    /** The name of every `providerIds` hash of `day` up to its shard (base 36): `providerIds(day, shard)` is this and the shard. */
    providerIdsPrefix(day: number): string;
    /** Hash: the day's short aliases of messages in `providerIds`: `m:<messageId>` -> alias, `a:<alias>` -> messageId, `#` -> the last alias. */
    providerIdAliases(day: number): string;
    /** String: provider message id -> `<messageId>:<index>`, as written before `providerIds` (read only; expires by itself). */
    legacyProviderMessageId(providerMessageId: string): string;
    /** Sorted set of message ids by creation time (ms): every message, for reports. */
    messages(): string;
    /** Sorted set of one pack's message ids by creation time (ms), kept as long as `messages`: a pack's SMS figures. */
    packMessages(packId: string): string;
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
  admin: {
    /** Prefix of the failed sign-in counters (per address and per guess fingerprint; each expires with its window). */
    signInFailures(): string;
  };
  /** Flow releases: per pack, in its {pack} slot, the stored versions and the pointer to the live and staged ones. */
  releases: {
    /** Hash version -> release record (JSON: who, when, from where). */
    versions(packId: string): string;
    /** Hash version -> the version's files (JSON), immutable once written. */
    files(packId: string): string;
    /** The pointer (JSON): live version, staged version and its phones, history. */
    state(packId: string): string;
    /** Pub/sub channel announcing a pointer change (the pack id is the message). */
    channel(): string;
  };
  engage: EngageKeys;
  /** Late action results and recovery dial strings (all {late}- or {recovery}-tagged: each group is one Lua script's). */
  late: {
    /** id -> the late action's record (JSON). */
    records(): string;
    /** Late actions still waiting for their result, scored by the time they count as lost (ms). */
    pending(): string;
    /** `pack|phone|action` -> id of the late action in flight: a redial reaching the same action waits for it. */
    inFlight(): string;
    /** `pack|late`, `pack|recovered`, `pack|lost` -> count. */
    counts(): string;
    /** Recent recovered and lost late actions (JSON, newest first, capped). */
    recovered(): string;
    lost(): string;
  };
  recovery: {
    /** One recovery dial string's record, by pack and digits. */
    code(pack: string, digits: string): string;
    /** Set once a session's recovery SMS was decided (a repeated end-of-session notification issues nothing more). */
    issued(sessionId: string): string;
    /** Every recovery code of every pack (for erasure). */
    codePattern(): string;
  };
  network: {
    /** Per pack: `network|field` -> count or milliseconds (hops, hop time, busy answers, session ends by cause). */
    stats(pack: string): string;
    /** Per pack: `network|state` -> delivery reports that moved a recipient to that state. */
    sms(pack: string): string;
  };
  hardening: {
    /** Prefix of the wrong-webhook-key counters per address. */
    webhookKeyFailures(): string;
    /** Replies queued across the gateway in one hour (YYYY-MM-DDTHH) and one day (YYYY-MM-DD). */
    replyHour(hour: string): string;
    replyDay(day: string): string;
    /** Replies to unregistered numbers in one hour, per network (or country when AT gives no network). */
    unknownHour(hour: string, network: string): string;
    /** Set once a phone has been told its cap is reached, for the cap window. */
    capNotice(phone: string): string;
  };
  /** A delegate's conference: what a phone chose before registering, and the opted-out answer marker. */
  attendee: {
    /** String: the language a phone without a registration chose (sw/en), per pack. */
    language(packId: string, phone: string): string;
    /** Marker: this phone got the "you are opted out" answer this hour. */
    optedOutNotice(phone: string): string;
    /** Hash phone -> invitee JSON: the people organisers invited, per pack. */
    invitees(packId: string): string;
    /** String: the follow-up question an SMS registration waits on ('cohort' or 'type'). */
    followUp(packId: string, phone: string): string;
  };
  routing: {
    /** Hash with a TTL: the content guard's sends in one 10-minute bucket and one shard, a field per (phone, text) digest (no number in clear). */
    contentRepeat(bucket: number, shard: number): string;
    /** `contentRepeat(bucket, shard)` up to its shard: that name is this and the shard in base 36. */
    contentRepeatBucketPrefix(bucket: number): string;
    /** String counter with a TTL: the content guard's count of one pair as kept before the buckets, read until it expires. */
    contentRepeatEarlier(pairHash: string): string;
    /** Hash: when the bucket layout of the content guard first ran (`since`) and the buckets it counted in (`b<bucket>`). */
    contentRepeatLayout(): string;
    /** The prefix every content-guard key starts with (bucket hashes, earlier pair counters, the layout hash). */
    contentRepeatPrefix(): string;
  };
  /** The organisers' dashboard: bounded counters its charts are drawn from. */
  dashboard: {
    /** String counter (expires after TTL.dashboardMinuteS): SMS recipients that reached `state` in that minute (epoch minutes). */
    smsMinute(state: string, minute: number): string;
    /** Hash: network code -> USSD sessions started on one pack (at most a few dozen codes). */
    networks(packId: string): string;
    /** List of audit entries (JSON), newest first, trimmed to the newest 5,000. */
    audit(): string;
    /** List of inbound SMS no keyword matched (JSON), newest first, trimmed to the newest 1,000; erasure removes a sender's. */
    unmatched(): string;
  };
  workers: {
    /** Hash with a TTL: worker id -> '<storage layout>:<expires at ms>:<host and pid>' of each live queue-worker process (`storage-layout.ts`). */
    layouts(): string;
  };
  pacing: {
    /** Sorted set: the send rate's sliding log, one member per recipient, scored by the ms the call leaves. */
    global(): string;
    /** Sorted set: one network's share of the rate, the same log (one hash slot with `global`, for one script). */
    network(network: string): string;
    /** String with a short TTL: a reply asked for a slot recently, so broadcasts keep to their share (same slot as `global`). */
    repliesMark(): string;
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
      sessionPattern: () => `${escapeGlob(p)}:ussd:{*}:session`,
      sessionKeysPattern: (id) => `${escapeGlob(p)}:ussd:{${escapeGlob(id)}}:*`,
      sessionIdOf: (key) => {
        const head = `${p}:ussd:{`;
        const tail = '}:session';
        return key.startsWith(head) && key.endsWith(tail) ? key.slice(head.length, -tail.length) : null;
      },
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
      subscriberRefs: (pack) => `${p}:{pack:${pack}}:subscriber-refs`,
    },
    inbound: {
      message: (id) => `${p}:sms:inbound:${id}`,
      messagePattern: () => `${escapeGlob(p)}:sms:inbound:*`,
      helpSent: (phone) => `${p}:sms:help-sent:${phone}`,
    },
    broadcasts: {
      record: (id) => `${p}:{bc:${id}}:record`,
      recipients: (id) => `${p}:{bc:${id}}:recipients`,
      groups: (id) => `${p}:{bc:${id}}:groups`,
      resends: (id) => `${p}:{bc:${id}}:resends`,
      creating: (id) => `${p}:{bc:${id}}:creating`,
      index: () => `${p}:broadcasts`,
      idempotency: () => `${p}:broadcasts:idempotency`,
    },
    messaging: {
      groupCounts: (group) => `${p}:sms:{m:${group}}:gcounts`,
      meta: (id) => `${p}:sms:${messageSlot(id)}:meta`,
      recipients: (id) => `${p}:sms:${messageSlot(id)}:recipients`,
      recipientBucket: (id, bucket) => `${p}:sms:${messageSlot(id)}:rb:${bucket}`,
      counts: (id) => `${p}:sms:${messageSlot(id)}:counts`,
      providerIds: (day, shard) => `${p}:sms:pids:${day}:${shard.toString(36)}`,
      providerIdsPrefix: (day) => `${p}:sms:pids:${day}:`,
      providerIdAliases: (day) => `${p}:sms:pids:${day}:aliases`,
      legacyProviderMessageId: (pid) => `${p}:sms:pid:${pid}`,
      messages: () => `${p}:sms:messages`,
      packMessages: (pack) => `${p}:{pack:${pack}}:sms:messages`,
      open: () => `${p}:sms:open`,
      awaitingReport: () => `${p}:sms:awaiting-report`,
      stale: () => `${p}:sms:stale`,
      staleCount: () => `${p}:sms:stale-count`,
      pendingReports: () => `${p}:sms:{dlr}:pending`,
      pendingReportsByTime: () => `${p}:sms:{dlr}:pending-by-time`,
      phoneHourly: (phone) => `${p}:sms:cap:${phone}`,
      dailySegments: (day) => `${p}:sms:budget:${day}`,
      suppression: () => `${p}:sms:suppression`,
      outboxAll: () => `${p}:outbox:all`,
      outboxPhone: (phone) => `${p}:outbox:phone:${phone}`,
    },
    admin: {
      signInFailures: () => `${p}:admin:sign-in-failures`,
    },
    releases: {
      versions: (pack) => `${p}:{pack:${pack}}:releases:versions`,
      files: (pack) => `${p}:{pack:${pack}}:releases:files`,
      state: (pack) => `${p}:{pack:${pack}}:releases:state`,
      channel: () => `${p}:releases:changed`,
    },
    engage: createEngageKeys(p),
    late: {
      records: () => `${p}:ussd:{late}:records`,
      pending: () => `${p}:ussd:{late}:pending`,
      inFlight: () => `${p}:ussd:{late}:in-flight`,
      counts: () => `${p}:ussd:{late}:counts`,
      recovered: () => `${p}:ussd:{late}:recovered`,
      lost: () => `${p}:ussd:{late}:lost`,
    },
    recovery: {
      code: (pack, digits) => `${p}:ussd:{recovery}:${pack}:${digits}`,
      issued: (sessionId) => `${p}:ussd:{recovery}:issued:${sessionId}`,
      codePattern: () => `${escapeGlob(p)}:ussd:{recovery}:*`,
    },
    network: {
      stats: (pack) => `${p}:stats:{ussd}:${pack}:networks`,
      sms: (pack) => `${p}:stats:{sms}:${pack}:networks`,
    },
    hardening: {
      webhookKeyFailures: () => `${p}:webhooks:key-failures`,
      replyHour: (hour) => `${p}:sms:replies:hour:${hour}`,
      replyDay: (day) => `${p}:sms:replies:day:${day}`,
      unknownHour: (hour, network) => `${p}:sms:replies:unknown:${hour}:${network}`,
      capNotice: (phone) => `${p}:sms:cap-notice:${phone}`,
    },
    attendee: {
      language: (pack, phone) => `${p}:{pack:${pack}}:attendee:language:${phone}`,
      optedOutNotice: (phone) => `${p}:sms:opted-out-notice:${phone}`,
      invitees: (pack) => `${p}:{pack:${pack}}:attendee:invitees`,
      followUp: (pack, phone) => `${p}:{pack:${pack}}:attendee:follow-up:${phone}`,
    },
    routing: {
      // One hash tag: the guard counts a whole batch in one pipeline, which a Cluster allows only within one slot.
      contentRepeat: (bucket, shard) => `${p}:sms:{repeat}:${bucket.toString(36)}:${shard.toString(36)}`,
      contentRepeatBucketPrefix: (bucket) => `${p}:sms:{repeat}:${bucket.toString(36)}:`,
      contentRepeatEarlier: (pairHash) => `${p}:sms:{repeat}:${pairHash}`,
      contentRepeatLayout: () => `${p}:sms:{repeat}:layout`,
      contentRepeatPrefix: () => `${p}:sms:{repeat}:`,
    },
    dashboard: {
      smsMinute: (state, minute) => `${p}:dash:sms:${state}:${minute}`,
      networks: (pack) => `${p}:dash:{pack:${pack}}:networks`,
      audit: () => `${p}:audit`,
      unmatched: () => `${p}:inbox:unmatched`,
    },
    workers: {
      layouts: () => `${p}:workers:layouts`,
    },
    pacing: {
      global: () => `${p}:{sms-pace}:global`,
      network: (network) => `${p}:{sms-pace}:network:${network}`,
      repliesMark: () => `${p}:{sms-pace}:global:replies`,
    },
  };
}


// ---- Feedback, questions to the panel and check-in: every key in the {pack:<id>} slot of its pack.

/** Queue of the feedback requests (one delayed job per session end). */
export const ENGAGE_QUEUES = { feedback: 'feedback' } as const;

export const ENGAGE_TTL = {
  /** A bare digit answers the latest feedback request sent to a phone for this long. */
  feedbackReplyWindowS: 24 * 3600,
  /** A survey in progress waits this long for the next digit. */
  surveyStepS: 3 * 24 * 3600,
  /** An inbound SMS id -> the question it created, so a re-run of the message adds none (as long as inbound ids are kept). */
  questionByMessageS: 7 * 24 * 3600,
  /** Finished feedback jobs: completed a week, failed a month. */
  feedbackJobCompletedS: 7 * 24 * 3600,
  feedbackJobFailedS: 30 * 24 * 3600,
} as const;

export interface EngageKeys {
  /** Hash phone -> JSON rating of one session. */
  ratings(packId: string, sessionCode: string): string;
  /** Set of session codes one phone rated (for erasure). */
  ratedBy(packId: string, phone: string): string;
  /** String with a TTL: the session of the latest feedback request sent to a phone. */
  pendingRating(packId: string, phone: string): string;
  /** Hash `default` or a session code -> feedback audience. */
  feedbackSettings(packId: string): string;
  /** Hash phone -> JSON survey answers. */
  surveyAnswers(packId: string): string;
  /** String with a TTL: the survey question a phone is answering (1-based). */
  surveyStep(packId: string, phone: string): string;
  /** Hash question id -> JSON question of one session. */
  questions(packId: string, sessionCode: string): string;
  /** Counter of question ids of a pack. */
  questionSeq(packId: string): string;
  /** Hash inbound SMS id -> question id (see ENGAGE_TTL.questionByMessageS). */
  questionByMessage(packId: string): string;
  /** Set of `<session>|<id>` one phone asked (for erasure). */
  questionsBy(packId: string, phone: string): string;
  /** Hash session code -> projector read token. */
  projectorTokens(packId: string): string;
  /** Hash phone -> ISO time of check-in on one local day. */
  checkinDay(packId: string, day: string): string;
  /** Set of local days with a check-in. */
  checkinDays(packId: string): string;
}

export function createEngageKeys(p: string): EngageKeys {
  return {
    ratings: (pack, code) => `${p}:{pack:${pack}}:fb-ratings:${code}`,
    ratedBy: (pack, phone) => `${p}:{pack:${pack}}:fb-rated-by:${phone}`,
    pendingRating: (pack, phone) => `${p}:{pack:${pack}}:fb-pending:${phone}`,
    feedbackSettings: (pack) => `${p}:{pack:${pack}}:fb-settings`,
    surveyAnswers: (pack) => `${p}:{pack:${pack}}:survey-answers`,
    surveyStep: (pack, phone) => `${p}:{pack:${pack}}:survey-step:${phone}`,
    questions: (pack, code) => `${p}:{pack:${pack}}:qa-questions:${code}`,
    questionSeq: (pack) => `${p}:{pack:${pack}}:qa-seq`,
    questionsBy: (pack, phone) => `${p}:{pack:${pack}}:qa-by:${phone}`,
    questionByMessage: (pack) => `${p}:{pack:${pack}}:qa-by-message`,
    projectorTokens: (pack) => `${p}:{pack:${pack}}:qa-projector-tokens`,
    checkinDay: (pack, day) => `${p}:{pack:${pack}}:checkin-day:${day}`,
    checkinDays: (pack) => `${p}:{pack:${pack}}:checkin-days`,
  };
}

/** The group of a message id `<group>~<id>` (see `messageIdFor`); undefined for a message of no group. */
export function messageGroup(messageId: string): string | undefined {
  const cut = messageId.indexOf('~');
  return cut > 0 ? messageId.slice(0, cut) : undefined;
}

/** A message's hash-tagged part of its key names: its group's slot when it has one. */
function messageSlot(messageId: string): string {
  const group = messageGroup(messageId);
  return group ? `{m:${group}}${messageId.slice(group.length)}` : `{m:${messageId}}`;
}
