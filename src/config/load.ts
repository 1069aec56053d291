/**
 * Turns the environment into a frozen, typed configuration, or one error that names every bad
 * variable at once. Modules receive only their slice (`config.redis`, `config.ussd`, ...).
 */
import type { Language } from '../kernel/language';
import { envSchema, type AdminTokenEntry, type Env, type NetworkName, type SmsRouteName, type TrustProxy } from './schema';
import { errorWithCode } from '../kernel/errors';

/** An admin token from ADMIN_TOKENS; `packs` absent: it may see every pack. */
export type AdminToken = AdminTokenEntry;

/** Variables whose value is a secret: a problem with them never shows the value. */
const SECRETS = new Set(['ADMIN_TOKENS', 'WEBHOOK_KEY', 'AT_API_KEY', 'METRICS_TOKEN', 'SMPP_PASSWORD']);

export interface Config {
  env: Env['NODE_ENV'];
  mode: Env['SERVICE_MODE'];
  /** Where SERVICE_MODE=all runs its queue workers. */
  workerLayout: Env['WORKER_LAYOUT'];
  production: boolean;
  http: {
    port: number; host: string; publicUrl: string; trustProxy: TrustProxy; bodyLimit: string; shutdownGraceMs: number;
    /** Node's server timeouts, set explicitly (ms). */
    headersTimeoutMs: number; requestTimeoutMs: number;
    /** When set, /metrics asks for it as a bearer token. */
    metricsToken: string | undefined;
  };
  redis: { url: string | undefined; localPort: number; prefix: string; commandTimeoutMs: number; policyCheck: Env['REDIS_POLICY_CHECK'] };
  africasTalking: { username: string | undefined; apiKey: string | undefined; senderId: string | undefined; shortCode: string | undefined; timeoutMs: number };
  sms: { provider: 'africastalking' | 'outbox' };
  security: { webhookKey: string | undefined; ipAllowList: string[]; adminTokens: AdminToken[] };
  locale: { defaultLanguage: Language; timeZone: string };
  /** `defaultPack`: DEFAULT_PACK, checked against the loaded packs at boot (unset: the first id in sorted order). */
  /** `demoDatesToday`: sample events start today (DEMO_DATES=today; never in production). */
  flows: { dir: string; defaultPack: string | undefined; demoDatesToday: boolean };
  ussd: { sessionTtlS: number; resumeWindowS: number; maxScreenChars: number; deadlineMs: number; lateLostAfterS: number; recoveryWindowS: number; recoveryCodeDigits: number; adaptiveMinDeadlineMs: number };
  log: { level: Env['LOG_LEVEL'] };
  messaging: MessagingConfig;
  reminders: { leadMinutes: number; graceMinutes: number; digestTime: string | null };
  /** Where callbacks wait while Redis is down. */
  spool: { dir: string; maxBytes: number };
  broadcasts: { quietHours: { start: string; end: string } | null; pricePerSegment: number; currency: string; workerLockMs?: number };
  routing: RoutingConfig;
  /** Set when SMPP_URL is (the smpp route needs it). */
  smpp: SmppConfig | undefined;
}

/** The SMS route chain: which providers, in which order, and when a route counts as down. */
export interface RoutingConfig {
  /** At least one; the first is preferred. */
  routes: SmsRouteName[];
  breakerFailures: number;
  breakerOpenMs: number;
}

export interface SmppConfig {
  url: string;
  systemId: string;
  /** A secret: never logged. */
  password: string;
  systemType: string | undefined;
  sourceAddr: string | undefined;
  window: number;
  ratePerSecond: number;
  enquireLinkMs: number;
  responseTimeoutMs: number;
}

/** The outbound SMS pipeline's slice. */
export interface MessagingConfig {
  ratePerSecond: number;
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** 0 = no cap. */
  perPhoneHourlyCap: number;
  /** Segments per day; 0 = unlimited. */
  dailyBudgetSegments: number;
  /** Replies across the gateway per hour and per day (0 = no cap). */
  replyHourlyCap?: number;
  replyDailyCap?: number;
  /** Replies to unregistered numbers per network and country per hour (0 = no cap). */
  unknownHourlyCap?: number;
  staleAfterS: number;
  outboxDlrDelayMs: number;
  /** Housekeeping period of each sending process (ms). */
  sweepIntervalMs?: number;
  /** Provider calls in flight per worker and lane. */
  workerConcurrency?: number;
  /** Broadcast (bulk lane) provider calls in flight per worker; 0 or absent: `workerConcurrency`. */
  maxInFlight?: number;
  /** Lock of a running batch job; a dead worker's job is retried after about this long (ms). */
  workerLockMs?: number;
  /** The sender a message without its own `from` goes out as (decides which opt-outs apply). */
  defaultSenderId: string | undefined;
  /** Day boundaries of the daily budget. */
  timeZone: string;
  /** The same text to the same phone at most this many times in 30 minutes (broadcasts, reminders); 0 or absent: no guard. */
  contentRepeatCap?: number;
  /** Percent of the rate each named network may take (by number prefix); absent or empty: one shared rate. */
  networkShares?: Partial<Record<NetworkName, number>>;
}

/** Thrown by `loadConfig` with one line per problem: `NAME: what it expects (got "value")`. */
export class ConfigError extends errorWithCode('CONFIG.INVALID') {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A value as a problem may show it: user and password in a URL (redis://:pw@host) hidden, cut at 40. */
function shown(value: unknown): string {
  const text = String(value).replace(/\/\/[^/@\s]*@/g, '//***@');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Reads `source` (default `process.env`); empty strings count as unset. Throws `ConfigError`. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const parsed = envSchema.safeParse(raw);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '?');
      problems.push(SECRETS.has(name) ? `${name}: ${issue.message}` : `${name}: ${issue.message} (got "${shown(raw[name])}")`);
    }
  }
  if (parsed.success) {
    const env = parsed.data;
    if (env.SMS_PROVIDER === 'africastalking' && (!env.AT_USERNAME || !env.AT_API_KEY))
      problems.push('SMS_PROVIDER: africastalking needs AT_USERNAME and AT_API_KEY (set both, or use SMS_PROVIDER=outbox)');
    const routes = env.SMS_ROUTES ?? [];
    if (routes.includes('africastalking') && (!env.AT_USERNAME || !env.AT_API_KEY))
      problems.push('SMS_ROUTES: the africastalking route needs AT_USERNAME and AT_API_KEY');
    if (routes.includes('smpp') && (!env.SMPP_URL || !env.SMPP_SYSTEM_ID || !env.SMPP_PASSWORD))
      problems.push('SMS_ROUTES: the smpp route needs SMPP_URL, SMPP_SYSTEM_ID and SMPP_PASSWORD');
    const live = env.SMS_PROVIDER === 'africastalking' || Boolean(env.AT_USERNAME && env.AT_API_KEY);
    if ((env.NODE_ENV === 'production' || live) && !env.WEBHOOK_KEY)
      problems.push(`WEBHOOK_KEY: required ${live ? "whenever Africa's Talking credentials are set, whatever NODE_ENV says" : 'in production'} (AT callbacks carry no signature; the key is the only check)`);
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS)
      problems.push('HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS');
    const tokens = (env.ADMIN_TOKENS ?? []).map((t) => t.token);
    if (env.WEBHOOK_KEY && tokens.includes(env.WEBHOOK_KEY))
      problems.push('WEBHOOK_KEY: must differ from every admin token (the key travels in callback URLs and provider logs)');
    if (env.METRICS_TOKEN && (tokens.includes(env.METRICS_TOKEN) || env.METRICS_TOKEN === env.WEBHOOK_KEY))
      problems.push('METRICS_TOKEN: must differ from the admin tokens and the webhook key');
    const provider = env.SMS_PROVIDER ?? (env.AT_USERNAME && env.AT_API_KEY ? 'africastalking' : 'outbox');
    if (env.NODE_ENV === 'production' && provider === 'outbox' && !env.ALLOW_OUTBOX_IN_PRODUCTION)
      problems.push("SMS_PROVIDER: outbox in production sends no SMS at all; set AT_USERNAME and AT_API_KEY, or ALLOW_OUTBOX_IN_PRODUCTION=true for a rehearsal");
    if (env.NODE_ENV === 'production' && env.DEMO_DATES === 'today')
      problems.push('DEMO_DATES: today moves sample events to today, which production must not do; set DEMO_DATES=off');
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const env = parsed.data;
  const provider = env.SMS_PROVIDER ?? (env.AT_USERNAME && env.AT_API_KEY ? 'africastalking' : 'outbox');
  const config: Config = {
    env: env.NODE_ENV,
    mode: env.SERVICE_MODE,
    workerLayout: env.WORKER_LAYOUT,
    production: env.NODE_ENV === 'production',
    http: {
      port: env.PORT,
      host: env.HOST,
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
      trustProxy: env.TRUST_PROXY,
      bodyLimit: '64kb',
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      metricsToken: env.METRICS_TOKEN,
    },
    redis: { url: env.REDIS_URL, localPort: env.LOCAL_REDIS_PORT, prefix: env.REDIS_PREFIX, commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS, policyCheck: env.REDIS_POLICY_CHECK },
    africasTalking: { username: env.AT_USERNAME, apiKey: env.AT_API_KEY, senderId: env.AT_SENDER_ID, shortCode: env.AT_SHORT_CODE, timeoutMs: env.AT_TIMEOUT_MS },
    sms: { provider },
    security: {
      webhookKey: env.WEBHOOK_KEY,
      ipAllowList: (env.WEBHOOK_IP_ALLOWLIST ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      adminTokens: env.ADMIN_TOKENS ?? [],
    },
    locale: { defaultLanguage: env.DEFAULT_LANGUAGE, timeZone: env.TZ },
    flows: { dir: env.FLOWS_DIR, defaultPack: env.DEFAULT_PACK, demoDatesToday: env.DEMO_DATES === 'today' || (env.DEMO_DATES === 'auto' && env.NODE_ENV !== 'production') },
    ussd: { sessionTtlS: env.USSD_SESSION_TTL_S, resumeWindowS: env.USSD_RESUME_WINDOW_S, maxScreenChars: env.USSD_MAX_SCREEN_CHARS, deadlineMs: env.USSD_DEADLINE_MS, lateLostAfterS: env.USSD_LATE_LOST_AFTER_S, recoveryWindowS: env.USSD_RECOVERY_WINDOW_S, recoveryCodeDigits: env.USSD_RECOVERY_CODE_DIGITS, adaptiveMinDeadlineMs: env.USSD_ADAPTIVE_MIN_DEADLINE_MS },
    log: { level: env.LOG_LEVEL },
    reminders: { leadMinutes: env.REMINDER_LEAD_MINUTES, graceMinutes: env.REMINDER_GRACE_MINUTES, digestTime: env.DIGEST_TIME === 'off' ? null : env.DIGEST_TIME },
    spool: { dir: env.SPOOL_DIR, maxBytes: env.SPOOL_MAX_MB * 1024 * 1024 },
    broadcasts: {
      quietHours: env.QUIET_HOURS === 'off' ? null : { start: env.QUIET_HOURS.slice(0, 5), end: env.QUIET_HOURS.slice(6, 11) },
      pricePerSegment: env.SMS_PRICE_PER_SEGMENT,
      currency: env.SMS_CURRENCY,
      workerLockMs: env.WORKER_LOCK_MS,
    },
    messaging: {
      ratePerSecond: env.SMS_RATE_PER_SECOND,
      batchSize: env.SMS_BATCH_SIZE,
      maxAttempts: env.SMS_MAX_ATTEMPTS,
      retryBaseMs: env.SMS_RETRY_BASE_MS,
      perPhoneHourlyCap: env.SMS_PER_PHONE_HOURLY_CAP,
      dailyBudgetSegments: env.SMS_DAILY_BUDGET,
      replyHourlyCap: env.SMS_REPLY_HOURLY_CAP,
      replyDailyCap: env.SMS_REPLY_DAILY_CAP,
      unknownHourlyCap: env.SMS_UNKNOWN_HOURLY_CAP,
      staleAfterS: env.SMS_STALE_AFTER_S,
      outboxDlrDelayMs: env.SMS_OUTBOX_DLR_DELAY_MS,
      sweepIntervalMs: env.SMS_SWEEP_INTERVAL_MS,
      workerConcurrency: env.SMS_WORKER_CONCURRENCY,
      maxInFlight: env.SMS_MAX_IN_FLIGHT,
      workerLockMs: env.WORKER_LOCK_MS,
      defaultSenderId: env.AT_SENDER_ID ?? env.AT_SHORT_CODE,
      timeZone: env.TZ,
      contentRepeatCap: env.SMS_CONTENT_REPEAT_CAP,
      networkShares: env.SMS_NETWORK_SHARES ?? {},
    },
    routing: {
      routes: env.SMS_ROUTES ?? [provider],
      breakerFailures: env.SMS_ROUTE_BREAKER_FAILURES,
      breakerOpenMs: env.SMS_ROUTE_BREAKER_OPEN_MS,
    },
    smpp: env.SMPP_URL && env.SMPP_SYSTEM_ID && env.SMPP_PASSWORD ? {
      url: env.SMPP_URL, systemId: env.SMPP_SYSTEM_ID, password: env.SMPP_PASSWORD, systemType: env.SMPP_SYSTEM_TYPE,
      sourceAddr: env.SMPP_SOURCE_ADDR ?? env.AT_SENDER_ID ?? env.AT_SHORT_CODE, window: env.SMPP_WINDOW,
      ratePerSecond: env.SMPP_RATE_PER_SECOND, enquireLinkMs: env.SMPP_ENQUIRE_LINK_S * 1000, responseTimeoutMs: env.SMPP_RESPONSE_TIMEOUT_MS,
    } : undefined,
  };
  return deepFreeze(config);
}
