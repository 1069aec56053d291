/**
 * The one schema over the environment. Every variable is listed here with its default and meaning;
 * `.env.example` and the README table are checked against `ENV_DOCS` by a test.
 */
import { isIP } from 'node:net';
import { LANGUAGES } from '../kernel/language';
import { PREFIX_NETWORKS as NETWORK_NAMES, prefixNetworkNamed, type PrefixNetwork as NetworkName } from '../kernel/network-prefix';
import { z } from 'zod';

/** A yes/no variable: true, false, 1, 0, yes or no. */
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `expected a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().min(min, { error: `expected a whole number from ${min} to ${max}` }).max(max, { error: `expected a whole number from ${min} to ${max}` }));

const redisUrl = z
  .string()
  .regex(/^(redis|rediss|redis-sentinel|redis-cluster):\/\/\S+$/, {
    error: 'expected redis://host:port, rediss://host:port, redis-sentinel://host:port[,host:port]/master or redis-cluster://host:port[,host:port]',
  });

/** Which proxies may name the client in X-Forwarded-For: none, the last `n` hops, or these addresses. */
export type TrustProxy = false | number | string[];

/** express's own names for address ranges in `trust proxy`. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One `trust proxy` entry: a range name, an address, or an address/prefix-length CIDR. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGES.has(entry)) return true;
  const [address = '', bits, ...extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY as express's `trust proxy` setting. `true` (trust whatever a client writes in
 * X-Forwarded-For) is refused: it would let anyone pick the address the webhook allow-list and
 * the sign-in limit see.
 */
const trustProxy = z.string().transform((raw, ctx): TrustProxy => {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === 'no' || value === '0') return false;
  if (value === 'true' || value === 'yes') {
    ctx.addIssue({ code: 'custom', message: 'true would trust any X-Forwarded-For a client sends; name the proxy instead: a hop count (1 for one proxy in front) or its addresses (loopback, 10.0.0.5, 10.0.0.0/8)' });
    return z.NEVER;
  }
  if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value);
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0 || !entries.every(isProxyEntry)) {
    ctx.addIssue({ code: 'custom', message: 'expected false, a hop count from 1 to 10, or comma-separated proxy addresses, CIDRs, loopback, linklocal or uniquelocal' });
    return z.NEVER;
  }
  return entries;
});

/**
 * Why a shared key is too weak to guard the webhooks, or undefined when it is strong enough: at
 * least 24 characters, at least 10 different ones, and no short pattern repeated (most pairs of
 * neighbouring characters differ). `openssl rand -hex 24` always passes. Never names the key.
 */
export function keyWeakness(key: string): string | undefined {
  const advice = '; make one with: openssl rand -hex 24';
  if (key.length < 24) return `expected at least 24 characters${advice}`;
  if (new Set(key).size < 10) return `expected at least 10 different characters (this one repeats a few)${advice}`;
  const pairs = new Set(Array.from({ length: key.length - 1 }, (_, i) => key.slice(i, i + 2)));
  if (pairs.size < (key.length - 1) * 0.75) return `expected no repeated pattern (this one repeats a short sequence)${advice}`;
  return undefined;
}

const TOKEN = /^[A-Za-z0-9._~+/=-]{16,}$/;
const PACK_LIST = /^[a-z0-9][a-z0-9-]*(\+[a-z0-9][a-z0-9-]*)*$/;

/** One admin token: its role, the secret, and the packs it may see (absent: every pack). */
export interface AdminTokenEntry { role: 'admin' | 'viewer'; token: string; packs?: string[] }

/**
 * `role:token` or `role:token:pack+pack`, comma-separated. Problems name the entry by position and
 * role, never the token itself (the message is printed at start).
 */
const adminTokens = z.string().transform((raw, ctx): AdminTokenEntry[] => {
  const entries: AdminTokenEntry[] = [];
  raw.split(',').map((s) => s.trim()).filter(Boolean).forEach((pair, i) => {
    const [role = '', token = '', packs, ...extra] = pair.split(':');
    const where = `entry ${i + 1}${role === 'admin' || role === 'viewer' ? ` (${role})` : ''}`;
    const problem = role !== 'admin' && role !== 'viewer' ? 'the role must be admin or viewer'
      : !TOKEN.test(token) ? 'the token must be at least 16 letters, digits or . _ ~ + / = -'
        : extra.length > 0 || (packs !== undefined && !PACK_LIST.test(packs)) ? 'after the token, name the packs it may see as pack-id+pack-id (e.g. egov2015+egov2016)' : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: `${where}: ${problem}; expected role:token or role:token:pack+pack (roles admin, viewer)` });
    else entries.push({ role: role as AdminTokenEntry['role'], token, ...(packs ? { packs: packs.split('+') } : {}) });
  });
  return entries;
});

/** Name, default (undefined = unset) and meaning of every variable, in README order. */
/** SMS route names, in the order SMS_ROUTES gives them (each at most once). */
export const SMS_ROUTE_NAMES = ['africastalking', 'smpp', 'outbox'] as const;
export type SmsRouteName = (typeof SMS_ROUTE_NAMES)[number];

const smsRoutes = z.string().transform((raw, ctx): SmsRouteName[] => {
  const names = raw.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((name) => !(SMS_ROUTE_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0 || new Set(names).size !== names.length) {
    ctx.addIssue({ code: 'custom', message: `expected route names from ${SMS_ROUTE_NAMES.join(', ')}, comma-separated, each once` });
    return z.NEVER;
  }
  return names as SmsRouteName[];
});


export type { NetworkName };

const networkShares = z.string().transform((raw, ctx): Partial<Record<NetworkName, number>> => {
  const shares: Partial<Record<NetworkName, number>> = {};
  for (const pair of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [written = '', percent = ''] = pair.split(':').map((s) => s.trim().toLowerCase());
    // A former name (tigo) counts as the network it now is (yas).
    const name = prefixNetworkNamed(written);
    if (!name || name in shares || !/^\d{1,3}$/.test(percent) || Number(percent) < 1 || Number(percent) > 100) {
      ctx.addIssue({ code: 'custom', message: `expected network:percent pairs (networks ${NETWORK_NAMES.join(', ')}; tigo is read as yas; 1-100), each network once, comma-separated` });
      return z.NEVER;
    }
    shares[name] = Number(percent);
  }
  if (Object.values(shares).reduce((sum, n) => sum + n, 0) > 100) {
    ctx.addIssue({ code: 'custom', message: 'expected shares adding up to at most 100 (percent of SMS_RATE_PER_SECOND)' });
    return z.NEVER;
  }
  return shares;
});

export const ENV_DOCS = [
  ['NODE_ENV', 'development', 'development, test or production; production refuses to run webhooks open and checks Redis persistence'],
  ['SERVICE_MODE', 'all', 'all (API + queue workers from one start; see WORKER_LAYOUT), api (HTTP only) or worker (queues only)'],
  ['WORKER_LAYOUT', 'process', 'with SERVICE_MODE=all: process runs the queue workers in a child process the gateway supervises (restarted if it dies, at a lower CPU priority), so a broadcast never holds a USSD hop on the HTTP event loop; inline runs them on the HTTP process\'s own event loop'],
  ['PORT', '3000', 'HTTP port'],
  ['HOST', '0.0.0.0', 'HTTP bind address'],
  ['PUBLIC_URL', undefined, 'public base URL printed in the start banner and used for callback URLs (default http://localhost:PORT)'],
  ['REDIS_URL', undefined, 'redis://, rediss://, redis-sentinel://h:p,h:p/master or redis-cluster://h:p,h:p; unset: 127.0.0.1:6379 if it answers, else a private redis-server under ./data/redis'],
  ['LOCAL_REDIS_PORT', '6379', 'with REDIS_URL unset: the local port probed for a running Redis before starting a private redis-server'],
  ['REDIS_PREFIX', 'kiungo', 'prefix of every key; BullMQ queues use {prefix} as a hash tag so they work on a Cluster'],
  ['REDIS_COMMAND_TIMEOUT_MS', '1000', 'a Redis command that takes longer fails (no request hangs on a dead Redis)'],
  ['REDIS_POLICY_CHECK', 'warn', 'in production: warn, refuse or off when Redis evicts keys or keeps nothing on disk'],
  ['AT_USERNAME', undefined, "Africa's Talking app username (sandbox for the sandbox)"],
  ['AT_API_KEY', undefined, "Africa's Talking API key"],
  ['AT_SENDER_ID', undefined, 'registered alphanumeric sender id or short code to send from (AT default when unset)'],
  ['AT_SHORT_CODE', undefined, 'the short code delegates text keywords to (shown in help texts)'],
  ['AT_TIMEOUT_MS', '10000', "hard timeout of one call to Africa's Talking"],
  ['SMS_PROVIDER', undefined, "africastalking or outbox; default: africastalking when AT_USERNAME and AT_API_KEY are set, else outbox"],
  ['WEBHOOK_KEY', undefined, 'shared key AT callbacks must carry as ?key=...; required in production and whenever AT_USERNAME/AT_API_KEY are set; at least 24 characters (openssl rand -hex 24), unlike any admin token'],
  ['WEBHOOK_IP_ALLOWLIST', undefined, 'optional comma-separated IPs or CIDR prefixes allowed to call the webhooks'],
  ['TRUST_PROXY', 'false', 'which reverse proxies may name the client in X-Forwarded-For: false, a hop count (1 = one proxy in front) or comma-separated proxy addresses/CIDRs/loopback/uniquelocal; true is refused (it trusts any client)'],
  ['ADMIN_TOKENS', undefined, 'comma-separated role:token pairs (roles admin, viewer) for /api/v1 and the console; role:token:egov2015+egov2016 limits a token to those packs'],
  ['DEFAULT_PACK', undefined, 'pack the admin API and console use when a request names none and the token may see several (default: the first pack id in sorted order)'],
  ['DEFAULT_LANGUAGE', 'sw', 'sw or en: language of people the gateway does not know yet'],
  ['TZ', 'Africa/Dar_es_Salaam', 'time zone of agenda times, quiet hours and digests'],
  ['FLOWS_DIR', 'flows/', 'directory of flow packs (one folder per service)'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug or trace'],
  ['SHUTDOWN_GRACE_MS', '10000', 'on SIGTERM/SIGINT, time allowed to finish in-flight work before exiting'],
  ['USSD_SESSION_TTL_S', '200', 'how long a USSD session snapshot is kept after its last hop (AT sessions last up to 180 s)'],
  ['USSD_RESUME_WINDOW_S', '300', 'dialling again within this time after a dropped session offers to continue'],
  ['USSD_MAX_SCREEN_CHARS', '160', 'screen budget in GSM-7 characters for every pack at run time (up to 182; UCS-2 screens get 70); flows:check measures each pack against its own budget'],
  ['USSD_DEADLINE_MS', '1500', 'a USSD hop answers within this time even when Redis is slow (busy END otherwise)'],
  ['SMS_RATE_PER_SECOND', '10', 'outbound SMS per second across all workers (one recipient = one message); a broadcast may use all of it while no reply has asked for a slot in the last 2 s, else replies keep a fifth of it free'],
  ['SMS_WORKER_CONCURRENCY', '4', 'provider calls in flight per worker process and lane (replies and bulk each): raise it when the provider is slow to answer'],
  ['SMS_MAX_IN_FLIGHT', '32', "broadcast provider calls in flight per worker process: the bulk lane runs up to this many batch jobs at once (0: SMS_WORKER_CONCURRENCY). A personalised broadcast makes one call per recipient, so it needs about SMS_RATE_PER_SECOND x the provider's answer time in seconds x 1.25 (the default 32 keeps up with 128/s at 200 ms; e.g. 128 at 500/s). The Africa's Talking adapter keeps at most this plus SMS_WORKER_CONCURRENCY keep-alive sockets open"],
  ['SMS_BATCH_SIZE', '100', 'recipients per provider call for a broadcast (identical text)'],
  ['SMS_MAX_ATTEMPTS', '5', 'provider calls per batch when the provider says a failure is temporary (exponential backoff with jitter)'],
  ['SMS_RETRY_BASE_MS', '5000', 'first retry delay of a temporary send failure; doubles each attempt'],
  ['SMS_PER_PHONE_HOURLY_CAP', '5', 'at most this many SMS per phone per hour caused by that phone\'s own traffic (0 = no cap)'],
  ['SMS_DAILY_BUDGET', '0', 'SMS segments per day (in TZ) after which broadcasts and reminders are refused as budget_exhausted; replies still go (0 = unlimited)'],
  ['SMS_STALE_AFTER_S', '21600', 'a message accepted by the provider with no final delivery report after this long is flagged stale'],
  ['SMS_SWEEP_INTERVAL_MS', '30000', 'how often each worker runs the send housekeeping (failed batches into the ledger, stale reports, orphaned messages)'],
  ['WORKER_LOCK_MS', '30000', 'a send or broadcast job held by a worker that died (kill -9, lost host) is taken up by another worker after about this long'],
  ['SMS_OUTBOX_DLR_DELAY_MS', '1500', 'outbox provider: simulated delivery report (Success) after this delay (0 = none)'],
  ['REMINDER_LEAD_MINUTES', '30', 'a session reminder goes out this many minutes before the session starts'],
  ['REMINDER_GRACE_MINUTES', '15', 'a reminder or digest more than this late (the gateway was down) is dropped, not sent late'],
  ['DIGEST_TIME', '07:00', "local time of the morning digest of a day's subscribed sessions, or off"],
  ['QUIET_HOURS', '20:00-08:00', 'local hours when broadcasts are held until the window opens (unless urgent), or off'],
  ['SMS_PRICE_PER_SEGMENT', '22', 'price of one SMS segment, for cost estimates (TZS 22 observed on Africa\'s Talking)'],
  ['SMS_CURRENCY', 'TZS', 'currency of SMS_PRICE_PER_SEGMENT'],
  ['USSD_LATE_LOST_AFTER_S', '120', 'an action that passed its deadline (onLate: sms) and has no result this long after is reported lost to the organiser'],
  ['USSD_RECOVERY_WINDOW_S', '1800', 'a recovery dial string sent after a session cut by timeout or network error can be used this long, once, from the same phone (0 = no recovery SMS)'],
  ['USSD_ADAPTIVE_MIN_DEADLINE_MS', '0', '0 = off; otherwise each network\'s hop deadline adapts between this and USSD_DEADLINE_MS: cut by a quarter when AT reports a session Failed on that network, given back hop by hop'],
  ['USSD_RECOVERY_CODE_DIGITS', '6', 'digits of a recovery dial string (*384*2015*<digits>#); a dialled code with exactly this many digits and nothing else is read as one'],
  ['ALLOW_OUTBOX_IN_PRODUCTION', 'false', 'in production the outbox (no SMS leaves the machine) is refused at start unless this is true (a rehearsal on the production build)'],
  ['METRICS_TOKEN', undefined, 'when set, GET /metrics needs Authorization: Bearer <token> (at least 24 characters, unlike the admin tokens and the webhook key)'],
  ['HTTP_HEADERS_TIMEOUT_MS', '10000', 'a client that has not sent its request headers within this time is cut off'],
  ['HTTP_REQUEST_TIMEOUT_MS', '30000', 'a client that has not sent its whole request within this time gets 408 and is cut off'],
  ['SMS_REPLY_HOURLY_CAP', '600', 'at most this many replies (SMS caused by inbound traffic: USSD and SMS) per hour across the gateway; further ones are skipped as reply_cap and counted (0 = no cap)'],
  ['SMS_REPLY_DAILY_CAP', '3000', 'at most this many replies per day (in TZ) across the gateway (0 = no cap)'],
  ['SMS_UNKNOWN_HOURLY_CAP', '60', 'at most this many replies per hour to numbers that are not registered, per mobile network and country; registered delegates are not counted (0 = no cap)'],
  ['DEMO_DATES', 'off', 'today: sample events (sample: true) start today and run on the following days, so now-and-next, reminders and the digest can be watched at once; off keeps their dates; auto (what npm start sets unless given) is today outside production and off in it; today is refused in production'],
  ['SPOOL_DIR', 'data/spool', "local folder where inbound SMS, delivery reports and opt-outs wait (fsync'd) while Redis is down; replayed at start and when Redis returns"],
  ['SPOOL_MAX_MB', '64', "size of that spool; when full, Africa's Talking callbacks are answered 503 so that AT retries"],
  ['SMS_ROUTES', undefined, 'SMS routes in order of preference, comma-separated (africastalking, smpp, outbox), e.g. africastalking,smpp: while the first is down (its circuit breaker open) new sends go to the next; unset: SMS_PROVIDER alone'],
  ['SMS_ROUTE_BREAKER_FAILURES', '3', 'consecutive failed calls (refused, unreachable, timed out) that open a route\'s circuit breaker'],
  ['SMS_ROUTE_BREAKER_OPEN_MS', '30000', 'how long an open breaker keeps new sends off its route before one trial call'],
  ['SMS_NETWORK_SHARES', undefined, 'per-network shares of SMS_RATE_PER_SECOND, e.g. vodacom:40,airtel:30,yas:20,halotel:10 (percent; networks by number prefix: vodacom, airtel, yas (the former Tigo; tigo is accepted), halotel, ttcl, zantel, other); unset: one shared rate'],
  ['SMS_CONTENT_REPEAT_CAP', '3', 'the same text to the same phone at most this many times in 30 minutes across broadcasts and reminders; more are skipped as repeated_content unless the broadcast is forced (0 = no guard)'],
  ['SMPP_URL', undefined, 'SMSC address for the smpp route: smpp://host:port (ssmpp:// for TLS)'],
  ['SMPP_SYSTEM_ID', undefined, 'SMPP system_id (account name) for bind_transceiver'],
  ['SMPP_PASSWORD', undefined, 'SMPP password (a secret: never logged or shown)'],
  ['SMPP_SYSTEM_TYPE', undefined, 'SMPP system_type, when the SMSC asks for one'],
  ['SMPP_SOURCE_ADDR', undefined, 'sender id or short code SMPP messages go out from (default: AT_SENDER_ID, else AT_SHORT_CODE)'],
  ['SMPP_WINDOW', '10', 'submit_sm in flight without their response, at most, on the SMPP connection'],
  ['SMPP_RATE_PER_SECOND', '100', 'submit_sm per second on the SMPP connection (one per part of a long SMS)'],
  ['SMPP_ENQUIRE_LINK_S', '30', 'seconds between enquire_link keep-alives; an unanswered one drops and reopens the connection'],
  ['SMPP_RESPONSE_TIMEOUT_MS', '10000', 'a submit_sm without its response after this long ends uncertain'],
] as const satisfies ReadonlyArray<readonly [string, string | undefined, string]>;

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'expected development, test or production' }).default('development'),
  SERVICE_MODE: z.enum(['all', 'api', 'worker'], { error: 'expected all, api or worker' }).default('all'),
  WORKER_LAYOUT: z.enum(['process', 'inline'], { error: 'expected process or inline' }).default('process'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url({ error: 'expected an absolute URL such as https://kiungo.example.org' }).optional(),
  REDIS_URL: redisUrl.optional(),
  LOCAL_REDIS_PORT: int(1, 65535).default(6379),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, { error: 'expected 1-32 letters, digits, _ or -' }).default('kiungo'),
  REDIS_COMMAND_TIMEOUT_MS: int(50, 60000).default(1000),
  REDIS_POLICY_CHECK: z.enum(['warn', 'refuse', 'off'], { error: 'expected warn, refuse or off' }).default('warn'),
  AT_USERNAME: z.string().min(1).optional(),
  AT_API_KEY: z.string().min(1).optional(),
  AT_SENDER_ID: z.string().min(1).max(11, { error: 'expected at most 11 characters' }).optional(),
  AT_SHORT_CODE: z.string().regex(/^\d{3,8}$/, { error: 'expected 3 to 8 digits' }).optional(),
  AT_TIMEOUT_MS: int(500, 120000).default(10000),
  SMS_PROVIDER: z.enum(['africastalking', 'outbox'], { error: 'expected africastalking or outbox' }).optional(),
  WEBHOOK_KEY: z.string().superRefine((key, ctx) => { const weak = keyWeakness(key); if (weak) ctx.addIssue({ code: 'custom', message: weak }); }).optional(),
  WEBHOOK_IP_ALLOWLIST: z.string().optional(),
  TRUST_PROXY: trustProxy.default(false),
  ADMIN_TOKENS: adminTokens.optional(),
  DEFAULT_LANGUAGE: z.enum(LANGUAGES, { error: `expected ${LANGUAGES.join(' or ')}` }).default(LANGUAGES[0]),
  TZ: z
    .string()
    .refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, { error: 'expected an IANA time zone such as Africa/Dar_es_Salaam' })
    .default('Africa/Dar_es_Salaam'),
  FLOWS_DIR: z.string().min(1).default('flows/'),
  DEFAULT_PACK: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a pack id (lowercase letters, digits and -)' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected fatal, error, warn, info, debug, trace or silent' }).default('info'),
  SHUTDOWN_GRACE_MS: int(100, 600000).default(10000),
  USSD_SESSION_TTL_S: int(30, 3600).default(200),
  USSD_RESUME_WINDOW_S: int(0, 3600).default(300),
  USSD_MAX_SCREEN_CHARS: int(60, 182).default(160),
  USSD_DEADLINE_MS: int(200, 9000).default(1500),
  SMS_RATE_PER_SECOND: int(1, 100000).default(10),
  SMS_WORKER_CONCURRENCY: int(1, 100).default(4),
  SMS_MAX_IN_FLIGHT: int(0, 1000).default(32),
  SMS_BATCH_SIZE: int(1, 1000).default(100),
  SMS_MAX_ATTEMPTS: int(1, 20).default(5),
  SMS_RETRY_BASE_MS: int(100, 3600000).default(5000),
  SMS_PER_PHONE_HOURLY_CAP: int(0, 1000).default(5),
  SMS_DAILY_BUDGET: int(0, 100000000).default(0),
  SMS_STALE_AFTER_S: int(60, 30 * 24 * 3600).default(21600),
  SMS_SWEEP_INTERVAL_MS: int(200, 3600000).default(30000),
  WORKER_LOCK_MS: int(1000, 600000).default(30000),
  SMS_OUTBOX_DLR_DELAY_MS: int(0, 600000).default(1500),
  REMINDER_LEAD_MINUTES: int(0, 1440).default(30),
  REMINDER_GRACE_MINUTES: int(1, 720).default(15),
  DIGEST_TIME: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|off)$/, { error: 'expected a time as HH:MM (24-hour) or off' }).default('07:00'),
  QUIET_HOURS: z.string().regex(/^((([01]\d|2[0-3]):[0-5]\d)-(([01]\d|2[0-3]):[0-5]\d)|off)$/, { error: 'expected HH:MM-HH:MM (local time) or off' }).default('20:00-08:00'),
  SMS_PRICE_PER_SEGMENT: z.string().regex(/^\d+(\.\d+)?$/, { error: 'expected a decimal number such as 22 or 0.8' }).transform(Number).default(22),
  SMS_CURRENCY: z.string().regex(/^[A-Z]{3}$/, { error: 'expected a three-letter currency code such as TZS' }).default('TZS'),
  USSD_LATE_LOST_AFTER_S: int(10, 3600).default(120),
  USSD_RECOVERY_WINDOW_S: int(0, 86400).default(1800),
  USSD_RECOVERY_CODE_DIGITS: int(5, 9).default(6),
  USSD_ADAPTIVE_MIN_DEADLINE_MS: int(0, 9000).default(0),
  ALLOW_OUTBOX_IN_PRODUCTION: bool.default(false),
  METRICS_TOKEN: z.string().superRefine((token, ctx) => { const weak = keyWeakness(token); if (weak) ctx.addIssue({ code: 'custom', message: weak }); }).optional(),
  HTTP_HEADERS_TIMEOUT_MS: int(1000, 120000).default(10000),
  HTTP_REQUEST_TIMEOUT_MS: int(1000, 600000).default(30000),
  SMS_REPLY_HOURLY_CAP: int(0, 10000000).default(600),
  SMS_REPLY_DAILY_CAP: int(0, 100000000).default(3000),
  SMS_UNKNOWN_HOURLY_CAP: int(0, 1000000).default(60),
  DEMO_DATES: z.enum(['today', 'off', 'auto'], { error: 'expected today, off or auto' }).default('off'),
  SPOOL_DIR: z.string().min(1).default('data/spool'),
  SPOOL_MAX_MB: int(1, 100000).default(64),
  SMS_ROUTES: smsRoutes.optional(),
  SMS_ROUTE_BREAKER_FAILURES: int(1, 1000).default(3),
  SMS_ROUTE_BREAKER_OPEN_MS: int(100, 3600000).default(30000),
  SMS_NETWORK_SHARES: networkShares.optional(),
  SMS_CONTENT_REPEAT_CAP: int(0, 1000).default(3),
  SMPP_URL: z.string().regex(/^s?smpp:\/\/[^\s/:]+(:\d{1,5})?\/?$/, { error: 'expected smpp://host:port or ssmpp://host:port' }).optional(),
  SMPP_SYSTEM_ID: z.string().min(1).max(15, { error: 'expected at most 15 characters' }).optional(),
  SMPP_PASSWORD: z.string().min(1).max(8, { error: 'expected at most 8 characters (the SMPP 3.4 limit)' }).optional(),
  SMPP_SYSTEM_TYPE: z.string().max(12, { error: 'expected at most 12 characters' }).optional(),
  SMPP_SOURCE_ADDR: z.string().min(1).max(20, { error: 'expected at most 20 characters' }).optional(),
  SMPP_WINDOW: int(1, 1000).default(10),
  SMPP_RATE_PER_SECOND: int(1, 10000).default(100),
  SMPP_ENQUIRE_LINK_S: int(5, 3600).default(30),
  SMPP_RESPONSE_TIMEOUT_MS: int(500, 120000).default(10000),
});

export type Env = z.infer<typeof envSchema>;
