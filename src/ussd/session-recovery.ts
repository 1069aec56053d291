/**
 * Recovery dial strings, as a story: when Africa's Talking says a session ended by timeout or
 * network error (`Incomplete`, `Failed`) away from the home screen, the caller gets one SMS in
 * their language with `*384*2015*<digits>#`; dialling it from the same phone within the window
 * resumes at the same screen with the values collected so far. The digits work once; another
 * phone, a second use or an expired code gets a clear END. Opt-outs and caps apply (the SMS goes
 * through the outbound ledger as a reply caused by the caller's own session).
 */
import type { Snapshot } from '../engine';
import { renderMessage } from '../event/catalogue';
import type { EventPack } from '../event/event-pack';
import type { Logger } from '../kernel/logger';
import type { Metrics } from '../kernel/metrics';
import type { OutboundMessages } from '../sms/outbound/outbound-port';
import type { Claim, RecoveryCodes } from './recovery-codes.redis';
import type { SessionRecord } from './session-store.redis';

export const RECOVERY_SMS_KEY = 'sms.recovery';
export const RECOVERY_INVALID_KEY = 'recovery.invalid';

/** Why a session end did or did not lead to a recovery SMS. */
export type RecoveryDecision = 'sent' | 'skipped' | 'ended_normally' | 'at_home' | 'not_ours' | 'already_sent' | 'off';

export interface SessionEnd {
  sessionId: string;
  /** AT's status: `Success`, `Incomplete` or `Failed`. */
  status: string;
  /** The code AT reports for the session (the dialled one). */
  serviceCode: string;
}

export interface SessionRecoveryDeps {
  codes: RecoveryCodes;
  outbound: OutboundMessages;
  packs: readonly EventPack[];
  logger: Logger;
  metrics: Metrics;
  /** How long a dial string works (USSD_RECOVERY_WINDOW_S); 0 sends none. */
  windowS: number;
  digits: number;
}

export interface SessionRecovery {
  /** How many digits a recovery code has: a dialled code with exactly these is read as one. */
  readonly digits: number;
  /** Decides and (when due) sends the recovery SMS for a session AT reports ended. Rejects only when Redis fails. */
  onSessionEnd(end: SessionEnd, record: SessionRecord | null): Promise<RecoveryDecision>;
  /** Takes a dialled code: the snapshot to resume, or why not. Counts each use and refusal. */
  claim(packId: string, digits: string, phone: string): Promise<Claim>;
}

const CUT_STATUSES = new Set(['incomplete', 'failed']);

/** The dial string for `digits` on the code the caller used (a pack may answer several). */
export function recoveryDialString(pack: Pick<EventPack, 'serviceCodes'>, dialled: string, digits: string): string {
  const bare = (code: string): string => code.trim().replace(/#$/, '');
  const used = bare(dialled);
  const code = pack.serviceCodes.find((c) => used === bare(c) || used.startsWith(`${bare(c)}*`)) ?? pack.serviceCodes[0] ?? dialled;
  return `${bare(code)}*${digits}#`;
}

function resumable(pack: EventPack, record: SessionRecord): Snapshot | null {
  const snapshot = record.resumeOffer ?? record.snapshot;
  if (record.snapshot.ended || snapshot.ended || snapshot.node === pack.start || snapshot.flowVersion !== pack.version) return null;
  return snapshot;
}

export function createSessionRecovery(deps: SessionRecoveryDeps): SessionRecovery {
  const decisions = deps.metrics.counter('kiungo_ussd_recovery_total', 'Recovery dial strings: sent, skipped (opt-out or cap), used, refused', ['outcome'] as const);
  return {
    digits: deps.digits,

    async onSessionEnd(end, record) {
      if (!CUT_STATUSES.has(end.status.toLowerCase())) return 'ended_normally';
      const pack = record && deps.packs.find((p) => p.id === record.packId);
      if (!record || !pack) return 'not_ours';
      const snapshot = resumable(pack, record);
      if (!snapshot) return record.snapshot.ended ? 'ended_normally' : 'at_home';
      if (deps.windowS <= 0 || pack.messages[snapshot.lang][RECOVERY_SMS_KEY] === undefined) return 'off';
      const digits = await deps.codes.issue({ packId: pack.id, sessionId: end.sessionId, phone: record.phone, snapshot }, deps.windowS, deps.digits);
      if (digits === null) return 'already_sent';
      const dial = recoveryDialString(pack, end.serviceCode, digits);
      const text = renderMessage(pack, snapshot.lang, RECOVERY_SMS_KEY, { dial, minutes: String(Math.round(deps.windowS / 60)) });
      const queued = await deps.outbound.enqueue({ to: record.phone, text, purpose: 'reply', idempotencyKey: `recovery:${end.sessionId}`, inboundTriggered: true, packId: pack.id });
      const decision = queued.state === 'queued' ? 'sent' : 'skipped';
      decisions.inc({ outcome: decision });
      if (decision === 'skipped') deps.logger.info({ sessionId: end.sessionId, reason: 'reason' in queued ? queued.reason : undefined }, 'recovery SMS skipped');
      return decision;
    },

    async claim(packId, digits, phone) {
      const claim = await deps.codes.claim(packId, digits, phone);
      decisions.inc({ outcome: claim.kind === 'ok' ? 'used' : 'refused' });
      return claim;
    },
  };
}
