/** What the admin API needs from the composition root. */
import type { RegisteredWorker } from '../../infra/redis/storage-layout';
import type { AgendaChanged } from '../../organiser/agenda-editor';
import type { DashboardExtras } from '../../organiser/dashboard';
import type { AuditLog } from '../../organiser/audit.redis';
import type { UnmatchedInbox } from '../../organiser/unmatched-inbox.redis';
import type { OutboundMessages } from '../../sms/outbound/outbound-port';
import type { SkippedReport } from '../../organiser/skipped-messages';
import type { FunnelScreen, Funnel, LateStats, NetworkStats, SmsStats } from '../../organiser/stats';
import type { Logger } from '../../kernel/logger';
import type { AgendaRepository } from '../../event/agenda';
import type { BroadcastService } from '../../broadcasts/broadcast-types';
import type { Clock } from '../../kernel/clock';
import type { Delegate, DelegateRepository } from '../../event/delegates';
import type { InviteeRepository } from '../../event/invitees';
import type { ReminderRepository } from '../../reminders/reminders';
import type { SuppressionList } from '../../sms/outbound/suppression-port';
import type { AdminToken, AuthOptions } from './auth';
import type { PackSummary } from './packs';
import type { ReleaseAdmin } from '../../releases/release-types';
import type { CheckInStore } from '../../checkin/checkin';
import type { WorkerStatus } from '../../infra/process/worker-supervisor';
import type { EventPack } from '../../event/event-pack';
import type { FeedbackStore } from '../../feedback/feedback';
import type { SurveyAudience } from '../../feedback/survey';
import type { QuestionStore } from '../../questions/questions';

/** Feedback, questions to the panel and check-in, per pack. */
export interface EngageAdmin {
  feedback: FeedbackStore;
  questions: QuestionStore;
  checkins: CheckInStore;
  sendSurvey(packId: string, audience: SurveyAudience): Promise<{ audience: number; queued: number; skipped: number; alreadyStarted: number }>;
  /** The pack as loaded (its survey questions). */
  pack(packId: string): EventPack | undefined;
}

/** The broadcast service of each pack. */
export interface BroadcastsByPack {
  forPack(packId: string): BroadcastService;
}

/** One message in the local outbox, as the admin API and the simulator's inbox show it. */
export interface OutboxItem {
  id: string;
  to: string;
  text: string;
  /** ISO 8601 time the message was queued. */
  at: string;
  state: string;
  /** Why it failed or was skipped, when the ledger says. */
  reason?: string;
}

export type OutboxReader = (query: { phone?: string; limit: number; sinceId?: string }) => Promise<OutboxItem[]>;

/** The late action results of a pack as the admin API lists them (phone numbers left out). */
export interface LateResultsListing {
  counts: LateStats;
  open: Array<{ id: string; sessionId: string; action: string; startedAt: string; lostAt: string }>;
  finished: Array<{ id: string; sessionId: string; action: string; startedAt: string; state: 'recovered' | 'lost'; at: string; messageId?: string; outcome?: string }>;
}

/** How this gateway runs its queue workers and the settings that govern SMS throughput (GET /system). */
export interface SystemStatus {
  /** SERVICE_MODE as started: all, api or worker. */
  mode: 'all' | 'api' | 'worker';
  /** With mode all: `process` (a supervised child) or `inline` (this process); null in the other modes. */
  workerLayout: 'process' | 'inline' | null;
  /** The supervised worker child (layout process); null otherwise. */
  workers: WorkerStatus | null;
  sms: {
    provider: string;
    /** SMS_RATE_PER_SECOND, across every worker. */
    ratePerSecond: number;
    /** SMS_MAX_IN_FLIGHT as set (0: workerConcurrency). */
    maxInFlight: number;
    /** Bulk-lane provider calls in flight per worker process, as applied. */
    bulkInFlight: number;
    /** SMS_WORKER_CONCURRENCY: provider calls in flight per worker process and lane. */
    workerConcurrency: number;
    /** SMS_BATCH_SIZE: recipients per provider call of a broadcast with one text. */
    batchSize: number;
  };
  /** The process answering this request. */
  process: { pid: number; uptimeS: number; node: string };
  /**
   * The stored layout this build's queue workers read and write, and the queue-worker processes
   * registered on this Redis: running, and waiting for those of another layout to stop (null when
   * Redis did not answer).
   */
  storage: { layout: number; workers: { running: RegisteredWorker[]; waiting: RegisteredWorker[] } | null };
}

export interface AdminDeps {
  /** From ADMIN_TOKENS; empty switches the API off (every route but openapi.json answers 401). */
  tokens: AdminToken[];
  /** Every pack of the gateway, sorted by id; routes work on one, chosen by `?pack=`. */
  packs: readonly PackSummary[];
  /** The pack a request naming none goes to when its token may see several (DEFAULT_PACK). */
  defaultPack: string;
  delegates: DelegateRepository;
  /** The invitation list; absent: the invitee routes answer 404 EVENT.NOT_FOUND. */
  invitees?: InviteeRepository;
  agenda: AgendaRepository;
  reminders: ReminderRepository;
  /** Absent until wired: broadcast routes answer 503 BROADCAST.UNAVAILABLE. */
  broadcasts?: BroadcastsByPack;
  suppression?: SuppressionList;
  ussdFunnel: (packId: string) => Promise<Funnel>;
  /** Late action results: counts, those still open and the recent recovered and lost ones. */
  lateResults?: (packId: string) => Promise<LateResultsListing>;
  /** Hop time, session ends and SMS outcomes per network. */
  networkStats?: (packId: string) => Promise<Record<string, NetworkStats>>;
  /** The pack's USSD screens in flow order with their names; absent: the funnel is busiest first by node id. */
  ussdScreens?: (packId: string) => readonly FunnelScreen[] | undefined;
  /** Recipients not sent to, and why, over the pack's newest messages; absent: /messages/skipped answers 404. */
  skipped?: (packId: string, options: { mask: boolean }) => Promise<SkippedReport>;
  /** Inbound SMS no keyword handled; absent: /inbox answers 404. */
  inbox?: UnmatchedInbox;
  /** Queues an organiser's reply through the normal outbound pipeline (caps and opt-outs apply). */
  reply?: OutboundMessages['enqueue'];
  /** Where admin actions are recorded; absent: nothing is recorded and /audit answers 404. */
  audit?: AuditLog;
  /** The dashboard's per-minute series and network breakdown over the last `minutes`; absent: /stats leaves them out. */
  dashboard?: (packId: string, delegates: readonly Delegate[], minutes: number) => Promise<DashboardExtras>;
  /** The worker layout, the worker child's state and the SMS throughput settings; absent: GET /system answers 404. */
  system?: () => Promise<SystemStatus>;
  /** SMS figures of one pack's messages (those tagged with it). */
  smsStats?: (packId: string) => Promise<SmsStats>;
  /** Only with the outbox provider; absent: GET /outbox answers 404. */
  outbox?: OutboxReader;
  /** Called after every stored agenda change, so reminders follow. */
  onAgendaChanged?: AgendaChanged;
  /** Full erasure (ledger numbers masked, stored messages removed); without it only the record and reminders go. */
  erasePerson?: (packId: string, phone: string) => Promise<unknown>;
  /** Flow releases (versions, staging, promote, rollback); absent: the release routes answer 503 RELEASE.UNAVAILABLE. */
  releases?: ReleaseAdmin;
  /** Absent: the feedback, question and check-in routes answer 503 FEEDBACK.UNAVAILABLE. */
  engage?: EngageAdmin;
  clock: Clock;
  logger: Logger;
  /** Failed-token limits (tests shorten them). */
  auth?: AuthOptions;
}
