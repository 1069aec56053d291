/**
 * `npm start`: load the configuration, find or start Redis, build the gateway, listen, print the
 * URLs a person needs, and shut down cleanly on SIGTERM/SIGINT within the grace time.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { buildGateway, FlowPackError, type Gateway } from './compose/gateway';
import { enforceRedisPolicy } from './infra/redis/redis-policy';
import { RedisUnavailableError, resolveRedis, type ResolvedRedis } from './infra/redis/resolve-redis';
import { ConfigError, loadConfig, type Config } from './config/load';
import { createLogger, type Logger } from './kernel/logger';
import { waitForReady } from './infra/redis/client';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { isMetricsRequest, superviseWorker, WORKER_CHILD_ARG, WORKER_READY, workerProcessMetrics, type MetricsAnswer, type WorkerSupervisor, type WorkerWaiting } from './infra/process/worker-supervisor';

/** The queue workers' niceness under SERVICE_MODE=all: USSD hops win the CPU over a broadcast. */
const WORKER_NICE = 10;

/** This process is the queue workers of a SERVICE_MODE=all gateway, started by it. */
const supervisedWorker = process.argv.includes(WORKER_CHILD_ARG);

/** Tells the supervisor, over the IPC channel, that the workers run. */
function reportReady(): void {
  process.send?.(WORKER_READY);
}

/** `/metrics` of the HTTP process adds the worker child's figures (counters summed, as prom-client's cluster mode does). */
function includeWorkerMetrics(registry: Registry, workers: WorkerSupervisor): void {
  const own = registry.metrics.bind(registry);
  registry.metrics = async () => {
    const theirs = await workers.metrics(1000);
    if (!theirs) return own();
    return AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), theirs]).metrics();
  };
}

function banner(config: Config, redis: ResolvedRedis, workers: string): string {
  const base = config.http.publicUrl;
  const key = config.security.webhookKey ? '?key=<WEBHOOK_KEY>' : '';
  const lines = [
    `Kiungo is running (mode ${config.mode}${workers}, ${config.env}, SMS provider ${config.sms.provider}).`,
    `  Redis:          ${redis.url.replace(/\/\/[^@]*@/, '//***@')} (${redis.origin === 'private' ? 'private redis-server, data in ./data/redis' : redis.origin === 'local' ? `already running on ${redis.url.replace('redis://', '')}: shared, not started by Kiungo` : 'REDIS_URL'})`,
  ];
  if (config.mode !== 'worker') {
    lines.push(
      "  Africa's Talking callback URLs (paste into its dashboard):",
      `    USSD service code callback:   ${base}/webhooks/africastalking/ussd${key}`,
      `    USSD session notifications:   ${base}/webhooks/africastalking/ussd-events${key}`,
      `    SMS incoming messages:        ${base}/webhooks/africastalking/sms${key}`,
      `    SMS delivery reports:         ${base}/webhooks/africastalking/delivery-reports${key}`,
      `    SMS bulk opt-out:             ${base}/webhooks/africastalking/opt-outs${key}`,
      `  Simulator:      ${base}/simulator`,
      `  Console:        ${base}/console`,
      `  Admin API:      ${base}/api/v1 (OpenAPI: ${base}/api/v1/openapi.json)`,
      `  Metrics:        ${base}/metrics   Health: ${base}/healthz  ${base}/readyz`,
    );
  }
  if (!config.security.webhookKey) lines.push('  Webhooks are OPEN (no WEBHOOK_KEY): fine on a laptop, refused in production.');
  return lines.join('\n');
}

/** Loads ./.env when present (Node's own loader; real environment variables win). */
function loadDotEnv(): void {
  try {
    process.loadEnvFile('.env');
  } catch {
    // no .env: the environment alone configures the gateway
  }
}

/**
 * Outside production, a gateway with no ADMIN_TOKENS gets one admin token of its own, kept in
 * ./data/admin-token across restarts and printed at start, so the console works out of the box.
 */
function localAdminToken(): string {
  const file = path.resolve('data/admin-token');
  try {
    const saved = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{16,}$/.test(saved)) return saved;
  } catch {
    // none saved yet
  }
  const token = randomBytes(18).toString('base64url');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

async function run(): Promise<void> {
  loadDotEnv();
  let config: Config;
  let generatedToken: string | undefined;
  try {
    config = loadConfig();
    if (!config.production && config.security.adminTokens.length === 0) {
      generatedToken = localAdminToken();
      config = loadConfig({ ...process.env, ADMIN_TOKENS: `admin:${generatedToken}` });
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(1);
    }
    throw error;
  }
  // The worker child's lines say so: both processes write to the same terminal.
  const logger = supervisedWorker ? createLogger(config.log.level).child({ process: 'queue-workers' }) : createLogger(config.log.level);
  // A stray rejection must not take down a process that answers USSD hops: log it and carry on.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  let redisTarget: ResolvedRedis;
  try {
    redisTarget = await resolveRedis(config.redis.url, logger, { probePort: config.redis.localPort });
  } catch (error) {
    if (error instanceof RedisUnavailableError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  // SERVICE_MODE=all runs the queue workers off this event loop unless told to keep them inline.
  const supervising = config.mode === 'all' && !supervisedWorker && config.workerLayout === 'process';
  const served: Config = supervising ? { ...config, mode: 'api' } : config;

  let shuttingDown = false;
  const running: { server?: Server; gateway?: Gateway; workers?: WorkerSupervisor } = {};
  const shutdown = async (signal: string, exitCode = 0): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, graceMs: config.http.shutdownGraceMs }, 'shutting down');
    const hardStop = setTimeout(() => {
      logger.error('shutdown grace time exceeded: exiting now');
      running.workers?.kill();
      // Exit whatever happens: with no private redis-server there is nothing to kill first.
      const killed = redisTarget.privateServer ? redisTarget.privateServer.kill() : Promise.resolve();
      void killed.finally(() => process.exit(1));
    }, config.http.shutdownGraceMs);
    hardStop.unref();
    const server = running.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    }
    // The workers drain in their own process while this one closes; both before Redis goes.
    await Promise.all([running.workers?.stop(Math.max(1000, config.http.shutdownGraceMs - 500)), running.gateway?.close()]);
    // Only now, with every count flushed and every connection closed, may the private Redis go.
    if (redisTarget.privateServer) {
      logger.info({ port: redisTarget.privateServer.port }, 'gateway closed: stopping the private redis-server');
      await redisTarget.privateServer.stop(Math.max(1000, config.http.shutdownGraceMs / 2));
    }
    clearTimeout(hardStop);
    logger.info('stopped');
    process.exit(exitCode);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  // A worker child whose supervisor died (its IPC channel closed) stops too.
  if (supervisedWorker) process.once('disconnect', () => void shutdown('supervisor gone'));
  if (supervising) {
    running.workers = superviseWorker({ entry: __filename, env: { ...process.env, SERVICE_MODE: 'worker', REDIS_URL: redisTarget.url }, logger, nice: WORKER_NICE });
  }

  let gateway: Gateway;
  try {
    const workers = running.workers;
    gateway = await buildGateway({
      config: served, logger, redisUrl: redisTarget.url, isShuttingDown: () => shuttingDown,
      ...(workers ? { workers: () => workers.status() } : {}),
      ...(supervisedWorker ? { onWorkersWaiting: (reason: string) => { process.send?.({ kind: 'kiungo:worker-waiting', reason } satisfies WorkerWaiting); } } : {}),
    });
  } catch (error) {
    if (!(error instanceof FlowPackError)) throw error;
    process.stderr.write(`${error.message}\n`);
    running.workers?.kill();
    await redisTarget.privateServer?.stop();
    process.exit(1);
  }
  if (!(await waitForReady(gateway.redis, 5000))) logger.warn('Redis does not answer yet; requests will get "service busy" until it does');
  else if (config.production && !(await enforceRedisPolicy(gateway.redis, config.redis.policyCheck, logger))) {
    logger.fatal('refusing to start: fix the Redis settings above or set REDIS_POLICY_CHECK=warn');
    await shutdown('policy', 1);
    return;
  }
  running.gateway = gateway;
  // Workers may wait for those of another stored layout to stop; in one process the HTTP side serves meanwhile.
  const workersStarted = served.mode === 'api' ? Promise.resolve() : gateway.startWorkers();
  workersStarted.catch(() => undefined); // awaited below, after the HTTP server is up
  if (served.mode === 'worker') await workersStarted;
  if (supervisedWorker) {
    process.on('message', (message) => {
      if (!isMetricsRequest(message)) return;
      void gateway.metrics.registry.getMetricsAsJSON().then((metrics) => process.send?.({ kind: message.kind, id: message.id, metrics } satisfies MetricsAnswer));
    });
    reportReady();
    return;
  }
  if (running.workers) {
    workerProcessMetrics(gateway.metrics, running.workers);
    includeWorkerMetrics(gateway.metrics.registry, running.workers);
  }
  if (served.mode !== 'worker') {
    // Explicit limits on slow clients (a trickled header or body holds a socket, never the process).
    const server = createServer({ headersTimeout: config.http.headersTimeoutMs, requestTimeout: config.http.requestTimeoutMs }, gateway.listener);
    await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, () => resolve()));
    server.keepAliveTimeout = 65_000;
    running.server = server;
  }
  await workersStarted;
  const workers = running.workers;
  if (workers && !(await workers.ready(60_000))) logger.warn('the queue workers are not ready after 60 s; they keep being started');
  process.stdout.write(`${banner(config, redisTarget, workers ? `: HTTP here, queue workers in a child process (pid ${String(workers.pid)})` : '')}\n`);
  if (generatedToken && config.mode !== 'worker') process.stdout.write(`  Console token:  ${generatedToken}   (kept in ./data/admin-token; set ADMIN_TOKENS to choose your own)\n`);
}

run().catch((error: unknown) => {
  const logger: Logger = createLogger('info');
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
