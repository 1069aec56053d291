/**
 * The stored layout this build's queue workers read and write, and the check that keeps workers of
 * two layouts off one Redis at once.
 *
 * A worker of one layout may misread what a worker of another wrote (the build before the packed
 * ledger cannot read packed ledgers, and would count a pacing entry of many recipients as one). So
 * each worker process registers its layout in one hash, renewed every few seconds, and starts its
 * queue workers only while no live worker of another layout is registered. A worker that finds
 * one waits, saying every few seconds which workers it waits for, and starts by itself once they
 * have stopped (or, after a crash, once their entry has lapsed): an upgrade that starts the new
 * workers before the old ones have stopped is safe, only slower.
 *
 * Builds from before this check do not register. Their queue workers are found by the names of
 * their connections (CLIENT LIST) and named in a warning, since their layout cannot be known.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../kernel/logger';
import type { RedisClient } from './client';
import { defineScript, runScript } from './lua';

/**
 * Bump when a worker of the build before could not share Redis with this one.
 * 1: ledger entries one JSON per recipient, one pacing entry per recipient (no registration).
 * 2: ledger entries packed 100 to a hash, one pacing entry per provider call.
 */
export const STORAGE_LAYOUT = 2;

/** A worker's entry lapses this long after its last renewal (a crashed worker holds others back this long at most). */
export const LAYOUT_ENTRY_LIFETIME_MS = 30_000;

/**
 * Names this build gives its queue-worker connections (`kiungo:` and this, then the lane), so that
 * the connections of a build from before the check (`kiungo:sms-worker-<lane>`) can be told apart.
 */
export const WORKER_CONNECTION_PREFIX = `sms-worker-layout${STORAGE_LAYOUT}-`;
const PRE_CHECK_CONNECTION = /^kiungo:sms-worker-(?!layout)[a-z]+$/;

/**
 * Registers one worker's layout unless a live worker of another layout is registered.
 * KEYS[1] the registry hash: field = worker id (a running worker) or 'wait:' and its id (a worker
 * that waits), value = '<layout>:<expires at, ms of Redis's clock>:<about>'.
 * ARGV[1] this worker's id, ARGV[2] its layout, ARGV[3] its entry's lifetime in ms, ARGV[4] about it
 * (host and pid, for the log of a worker that waits for it and for GET /system).
 * ARGV[5] 'renew' for a worker already running: it stays entered as running whatever it finds.
 * Lapsed entries are removed. Returns {} when registered (or renewed; its waiting entry is removed),
 * else one string per live running worker of another layout, '<id> <layout>:<expires>:<about>',
 * and this worker is entered as waiting (as running when renewing).
 */
const claimScript = defineScript('worker-layout-claim', `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local others = {}
local latest = now + tonumber(ARGV[3])
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local id, value = entries[i], entries[i + 1]
  local layout, expires = string.match(value, '^(%d+):(%d+):')
  if not expires or tonumber(expires) <= now then
    redis.call('HDEL', KEYS[1], id)
  else
    if tonumber(expires) > latest then latest = tonumber(expires) end
    if id ~= ARGV[1] and string.sub(id, 1, 5) ~= 'wait:' and layout ~= ARGV[2] then table.insert(others, id .. ' ' .. value) end
  end
end
local entry = ARGV[2] .. ':' .. (now + tonumber(ARGV[3])) .. ':' .. ARGV[4]
if #others > 0 and ARGV[5] ~= 'renew' then
  redis.call('HSET', KEYS[1], 'wait:' .. ARGV[1], entry)
else
  redis.call('HDEL', KEYS[1], 'wait:' .. ARGV[1])
  redis.call('HSET', KEYS[1], ARGV[1], entry)
end
redis.call('PEXPIREAT', KEYS[1], latest)
return others
`);

/** A registry entry's value, '<layout>:<expires at ms>:<about>' (as claimScript writes it); undefined for anything else. */
function parseEntry(value: string): { layout: number; expiresAt: number; about: string } | undefined {
  const match = /^(\d+):(\d+):(.*)$/s.exec(value);
  return match ? { layout: Number(match[1]), expiresAt: Number(match[2]), about: match[3] ?? '' } : undefined;
}

/** A live worker of another layout, as its entry says. */
export interface OtherWorker {
  id: string;
  layout: number;
  /** Host and pid. */
  about: string;
}

export interface LayoutGuardOptions {
  redis: RedisClient;
  /** The registry hash (`Keys.workers.layouts()`). */
  key: string;
  logger: Logger;
  /** This worker's layout (tests start workers of another). */
  layout?: number;
  lifetimeMs?: number;
  /** How often a waiting worker asks again. */
  retryMs?: number;
  /** How often a waiting worker logs whom it waits for. */
  logEveryMs?: number;
  /** Told (as often as the log) why this worker waits, in words for /readyz. */
  onWaiting?: (reason: string) => void;
}

export type LayoutGuardState = 'idle' | 'waiting' | 'running' | 'stopped';

export class WorkerLayoutGuard {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly layout: number;
  private readonly lifetimeMs: number;
  private readonly retryMs: number;
  private readonly logEveryMs: number;
  private state: LayoutGuardState = 'idle';
  private waitingFor: OtherWorker[] = [];
  private renewal: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private claiming: Promise<boolean> | undefined;
  private everWaited = false;

  constructor(private readonly options: LayoutGuardOptions) {
    this.layout = options.layout ?? STORAGE_LAYOUT;
    this.lifetimeMs = options.lifetimeMs ?? LAYOUT_ENTRY_LIFETIME_MS;
    this.retryMs = options.retryMs ?? 2000;
    this.logEveryMs = options.logEveryMs ?? 10_000;
  }

  /** Where this worker stands, and the workers of another layout it waits for. */
  status(): { state: LayoutGuardState; layout: number; waitingFor: OtherWorker[] } {
    return { state: this.state, layout: this.layout, waitingFor: [...this.waitingFor] };
  }

  /**
   * Registers this worker; while workers of another layout are live, waits and asks again. Resolves
   * true once registered (renewed from then on), false when `release` came first.
   */
  claim(): Promise<boolean> {
    this.claiming ??= this.claimOnce();
    return this.claiming;
  }

  private async claimOnce(): Promise<boolean> {
    if (this.isStopped()) return false;
    this.state = 'waiting';
    await this.warnAboutUnregisteredWorkers();
    let lastLog = 0;
    let lastRedisLog = 0;
    for (;;) {
      let others: OtherWorker[] | undefined;
      try {
        others = await this.register();
      } catch (error) {
        if (Date.now() - lastRedisLog >= this.logEveryMs) {
          lastRedisLog = Date.now();
          this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'cannot check the storage layout of other queue workers yet (Redis): asking again');
        }
      }
      if (this.isStopped()) {
        // Released while the script ran: what it wrote is removed here (release found nothing to remove yet).
        if (others) await this.forget();
        return false;
      }
      if (others && others.length === 0) {
        this.state = 'running';
        this.waitingFor = [];
        if (lastLog > 0) this.options.logger.info({ layout: this.layout }, 'the queue workers of the other storage layout have stopped: starting');
        this.renewal = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.lifetimeMs / 3)));
        this.renewal.unref();
        return true;
      }
      if (others) {
        this.everWaited = true;
        this.waitingFor = others;
        if (Date.now() - lastLog >= this.logEveryMs) {
          lastLog = Date.now();
          this.options.logger.error({
            layout: this.layout,
            others: others.map((o) => `${o.about} (layout ${o.layout})`),
          }, `queue workers of another storage layout are running on this Redis: this worker (layout ${this.layout}) waits until they stop. Stop them to go on (an entry lapses ${this.lifetimeMs / 1000} s after its worker died)`);
          this.options.onWaiting?.(`it waits for the queue workers of stored layout ${[...new Set(others.map((o) => o.layout))].join(', ')} (${others.map((o) => o.about).join('; ')}) to stop, being of layout ${this.layout}`);
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.retryMs);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = undefined;
      if (this.isStopped()) return false;
    }
  }

  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  /** Stops renewing (or waiting) and removes this worker's entry. Never throws. */
  async release(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = undefined;
    this.wake?.();
    if (!wasRunning && !this.everWaited) return;
    await this.forget();
  }

  /** Removes this worker's entries, running and waiting. Never throws. */
  private async forget(): Promise<void> {
    try {
      await this.options.redis.hdel(this.options.key, this.id, `wait:${this.id}`);
    } catch {
      // Redis is gone: the entries lapse by themselves.
    }
  }

  private async register(mode: 'claim' | 'renew' = 'claim'): Promise<OtherWorker[]> {
    const reply = (await runScript(this.options.redis, claimScript, [this.options.key], [this.id, this.layout, this.lifetimeMs, `${hostname()} pid ${process.pid}`, mode])) as string[];
    return reply.map((line) => {
      const space = line.indexOf(' ');
      const entry = parseEntry(line.slice(space + 1));
      return { id: line.slice(0, space), layout: entry?.layout ?? 0, about: entry?.about ?? '' };
    });
  }

  private async renew(): Promise<void> {
    if (this.state !== 'running') return;
    try {
      const others = await this.register('renew');
      if (others.length > 0 && this.state === 'running') {
        // Only when this worker's entry lapsed (Redis lost it, or this process stalled for longer
        // than the lifetime) and a worker of another layout got in meanwhile: both stay listed as running.
        this.options.logger.error({ layout: this.layout, others: others.map((o) => `${o.about} (layout ${o.layout})`) }, 'queue workers of another storage layout started beside this one (its entry had lapsed): stop one of the two builds');
      }
    } catch (error) {
      this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'cannot renew this queue worker\'s storage layout entry (Redis)');
    }
  }

  /** Queue-worker connections of a build from before this check; a warning names them. Never throws. */
  private async warnAboutUnregisteredWorkers(): Promise<void> {
    const found = await unregisteredWorkerConnections(this.options.redis).catch(() => undefined);
    if (found && found.length > 0) {
      this.options.logger.warn({ connections: found }, 'queue workers of a build from before the storage layout check are connected to this Redis (their layout is unknown): if they serve this gateway and were built before the packed ledger, stop them now');
    }
  }
}

/** `name addr` of each connection named as a queue worker of a build from before the check. */
export async function unregisteredWorkerConnections(redis: RedisClient): Promise<string[]> {
  const nodes = 'nodes' in redis && typeof redis.nodes === 'function' ? redis.nodes('master') : [redis];
  const found: string[] = [];
  for (const node of nodes) {
    const list = String(await node.client('LIST'));
    for (const line of list.split('\n')) {
      const name = /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '';
      if (PRE_CHECK_CONNECTION.test(name)) found.push(`${name} ${/(?:^| )addr=(\S*)/.exec(line)?.[1] ?? '?'}`);
    }
  }
  return found;
}

/** A queue-worker process as the registry lists it. */
export interface RegisteredWorker {
  /** Host and pid. */
  about: string;
  layout: number;
  /** Seconds until its entry lapses unless renewed. */
  expiresInS: number;
}

/** The live entries of the registry: workers running and workers waiting for another layout's to stop. */
export async function registeredWorkers(redis: RedisClient, key: string): Promise<{ running: RegisteredWorker[]; waiting: RegisteredWorker[] }> {
  const [entries, [seconds, micros]] = await Promise.all([redis.hgetall(key), redis.time()]);
  const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const running: RegisteredWorker[] = [];
  const waiting: RegisteredWorker[] = [];
  for (const [id, value] of Object.entries(entries)) {
    const entry = parseEntry(value);
    if (!entry || entry.expiresAt <= now) continue;
    (id.startsWith('wait:') ? waiting : running).push({ about: entry.about, layout: entry.layout, expiresInS: Math.ceil((entry.expiresAt - now) / 1000) });
  }
  const order = (a: RegisteredWorker, b: RegisteredWorker): number => a.layout - b.layout || a.about.localeCompare(b.about);
  return { running: running.sort(order), waiting: waiting.sort(order) };
}

/**
 * For a process that queues work (an API process): logs an error when queue workers of another
 * stored layout run on this Redis, since they may misread what this process writes. Never throws.
 */
export async function warnAboutOtherLayouts(redis: RedisClient, key: string, logger: Logger, layout = STORAGE_LAYOUT): Promise<void> {
  const listed = await registeredWorkers(redis, key).catch(() => undefined);
  const others = listed?.running.filter((w) => w.layout !== layout) ?? [];
  if (others.length === 0) return;
  logger.error({ layout, others: others.map((o) => `${o.about} (layout ${o.layout})`) }, `queue workers of another storage layout run on this Redis: this process writes layout ${layout}, which they may misread. Stop them, then start workers of this build`);
}
