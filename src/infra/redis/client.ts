/**
 * The one Redis connection factory. Every connection in the gateway comes from here, so they all
 * share the same URL forms (redis://, rediss://, redis-sentinel://, redis-cluster://) and the same
 * fail-fast rules: a command on a dead or paused Redis fails within the command timeout instead
 * of hanging a request.
 */
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { AppError } from '../../kernel/errors';

export type RedisClient = Redis | Cluster;

export type ConnectionRole =
  /** Request path: fail fast, nothing queued while disconnected; commands of one tick share a write. */
  | 'command'
  /**
   * The USSD hop's own connection: fails fast as `command`. A hop sends one script per round trip,
   * and auto-pipelining would cost it a pipeline object per tick (measured: about half the hop's
   * CPU time at 50 connections). Instead, while commands await their replies, the socket is corked
   * for the rest of the event-loop turn, so the scripts of the hops served in that turn leave in
   * one write (`writesOncePerTurn`).
   */
  | 'hop'
  /** BullMQ workers and queue-event listeners: blocking commands, retry forever (BullMQ's requirement). */
  | 'blocking';

export interface RedisTarget {
  kind: 'single' | 'sentinel' | 'cluster';
  tls: boolean;
  nodes: Array<{ host: string; port: number }>;
  password?: string;
  username?: string;
  db?: number;
  masterName?: string;
}

/** Parses one of the four URL forms; throws with the reason on anything else. */
export function parseRedisUrl(url: string): RedisTarget {
  const match = /^(redis|rediss|redis-sentinel|redis-cluster):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(?:\/([^?#]*))?/.exec(url);
  if (!match) throw new AppError('REDIS.URL_UNSUPPORTED', `unsupported Redis URL: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
  const [, scheme, user, pass, hostList, pathPart] = match;
  const nodes = (hostList ?? '').split(',').map((entry) => {
    const hostPort = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(entry.trim());
    return { host: hostPort?.[1] ?? '127.0.0.1', port: Number(hostPort?.[2] ?? (scheme === 'redis-sentinel' ? 26379 : 6379)) };
  });
  const target: RedisTarget = {
    kind: scheme === 'redis-sentinel' ? 'sentinel' : scheme === 'redis-cluster' ? 'cluster' : 'single',
    tls: scheme === 'rediss',
    nodes,
  };
  if (user) target.username = decodeURIComponent(user);
  if (pass) target.password = decodeURIComponent(pass);
  const parts = (pathPart ?? '').split('/').filter(Boolean);
  if (target.kind === 'sentinel') {
    target.masterName = parts[0] ?? 'mymaster';
    if (parts[1]) target.db = Number(parts[1]);
  } else if (parts[0] && /^\d+$/.test(parts[0])) {
    target.db = Number(parts[0]);
  }
  return target;
}

export interface RedisFactoryOptions {
  url: string;
  commandTimeoutMs: number;
  /** Shown in CLIENT LIST and in logs. */
  name: string;
  role?: ConnectionRole;
}

function baseOptions(target: RedisTarget, options: RedisFactoryOptions): RedisOptions {
  const blocking = options.role === 'blocking';
  const common: RedisOptions = {
    connectionName: `kiungo:${options.name}`,
    username: target.username,
    password: target.password,
    db: target.db,
    connectTimeout: Math.max(1000, options.commandTimeoutMs),
    // Reconnect quickly but never give up: a Redis restart must heal without a process restart.
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
    lazyConnect: false,
  };
  if (target.tls) common.tls = {};
  if (blocking) return { ...common, maxRetriesPerRequest: null, enableReadyCheck: false };
  return {
    ...common,
    // Commands issued in the same tick share one write (parallel reads cost one round trip); not on the hop's own connection.
    enableAutoPipelining: options.role !== 'hop',
    commandTimeout: options.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
  };
}

/** Creates a connection (it connects in the background and reconnects forever). Never throws on a dead Redis. */
export function createRedis(options: RedisFactoryOptions): RedisClient {
  const target = parseRedisUrl(options.url);
  const redisOptions = baseOptions(target, options);
  if (target.kind === 'cluster') {
    const clusterOptions: ClusterOptions = {
      redisOptions,
      enableOfflineQueue: options.role === 'blocking',
      clusterRetryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
    };
    return new Cluster(target.nodes, clusterOptions);
  }
  if (target.kind === 'sentinel') {
    // failoverDetector: follow the sentinels' +switch-master at once. Without it a paused (not
    // dead) master keeps its connections open and every command times out until it wakes.
    const client = reopenAfterUnwantedEnd(new Redis({ ...redisOptions, sentinels: target.nodes, name: target.masterName, sentinelPassword: target.password, failoverDetector: true }));
    return options.role === 'hop' ? writesOncePerTurn(client) : client;
  }
  const node = target.nodes[0] ?? { host: '127.0.0.1', port: 6379 };
  const client = reopenAfterUnwantedEnd(new Redis({ ...redisOptions, host: node.host, port: node.port }));
  return options.role === 'hop' ? writesOncePerTurn(client) : client;
}

/**
 * Under load, corks the connection's socket at a command issued while others await their replies
 * and uncorks it in the turn's check phase (`setImmediate`), so every command issued in between
 * leaves in one `writev` instead of one write each. Under load a turn serves many hops, and a write
 * costs a system call (measured at 50 connections: CPU per hop 8 % lower in the gateway, 15 % in
 * redis-server, which reads fewer, larger packets). A command with none awaiting a reply leaves at
 * once: at a light load there is nothing to batch it with, and it would only wait. A corked command
 * waits at most for the rest of its turn, so a long callback later in the same turn delays it by
 * that much; replies are read as before. Uncorking once the issuing callback's continuations have
 * run (`process.nextTick`) would avoid that wait, but it batches only the scripts sent from one
 * read and gave none of the gain (bench, 5 pairs). A new socket after a reconnect is corked the
 * same way; one closed while corked takes its buffered commands down with it, as an uncorked one
 * would have failed them.
 */
export function writesOncePerTurn(client: Redis): Redis {
  const send = client.sendCommand.bind(client);
  let corked: Redis['stream'] | undefined;
  let awaiting = 0;
  const settled = (): void => { awaiting -= 1; };
  const uncork = (): void => {
    const stream = corked;
    corked = undefined;
    stream?.uncork();
  };
  client.sendCommand = (command, stream) => {
    const socket = client.stream as Redis['stream'] | undefined;
    if (awaiting > 0 && corked === undefined && stream === undefined && socket?.writable) {
      corked = socket;
      socket.cork();
      setImmediate(uncork);
    }
    awaiting += 1;
    command.promise.then(settled, settled);
    return send(command, stream);
  };
  return client;
}

/** How long a connection that ended without being closed waits before it connects again. */
export const REOPEN_AFTER_END_MS = 500;

/**
 * A connection ends for good only when its owner closes it (`quit`, `disconnect`). ioredis can end
 * one on its own: when a Sentinel announces the new master while the connection is between
 * attempts to reach the dead one, the failover detector left from its last connection aborts the
 * attempt under way ("Connection is closed.") and the retry strategy is never asked. Every later
 * command then fails at once, in a process that looks alive (a worker stops sending, for good).
 * Such a connection is opened again here, on the same object, so whoever holds it carries on.
 */
export function reopenAfterUnwantedEnd(client: Redis): Redis {
  let closedByOwner = false;
  const quit = client.quit.bind(client) as (...args: unknown[]) => Promise<'OK'>;
  const disconnect = client.disconnect.bind(client);
  const connect = client.connect.bind(client);
  Object.assign(client, {
    quit: (...args: unknown[]) => { closedByOwner = true; return quit(...args); },
    disconnect: (reconnect = false) => { if (!reconnect) closedByOwner = true; disconnect(reconnect); },
    connect: (callback?: () => void) => { closedByOwner = false; return connect(callback); },
  });
  client.on('end', () => {
    if (closedByOwner) return;
    const timer = setTimeout(() => {
      if (closedByOwner || client.status !== 'end') return;
      client.emit('reopen');
      connect().catch(() => undefined);
    }, REOPEN_AFTER_END_MS);
    timer.unref();
  });
  return client;
}

/** Resolves true when PING answers within `timeoutMs`; never throws, never hangs. */
export async function redisReachable(client: RedisClient, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    const ping = client.ping().then((reply) => reply === 'PONG').catch(() => false);
    return await Promise.race([ping, timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Resolves true once the connection is ready (or false after `timeoutMs`); never throws. */
export function waitForReady(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = (): void => { clearTimeout(timer); resolve(true); };
    const timer = setTimeout(() => { client.off('ready', onReady); resolve(false); }, timeoutMs);
    client.once('ready', onReady);
  });
}

/** Closes a connection: QUIT when it answers, disconnect otherwise. Never throws. */
export async function closeRedis(client: RedisClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    if (client.status === 'ready') await Promise.race([client.quit(), new Promise((r) => { timer = setTimeout(r, 1000); })]);
  } catch {
    // already closing or closed
  } finally {
    if (timer) clearTimeout(timer);
    client.disconnect();
  }
}
