/**
 * The queue workers of SERVICE_MODE=all kept off the HTTP process's event loop: the same entry
 * point run again as a worker child process, started with the gateway at a lower CPU priority,
 * started again whenever it dies, and stopped with it. A broadcast's fan-out and sends then never
 * hold a USSD hop behind them on one event loop, nor take the CPU from it.
 * (Measured with `npm run bench -- --only ussd-broadcast`: a worker thread instead of a process
 * kept hops waiting about as long as one event loop did.)
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { Counter } from 'prom-client';
import type { Logger } from '../../kernel/logger';
import type { Metrics } from '../../kernel/metrics';

/** The argument that marks the supervised worker (the entry point tells itself apart by it). */
export const WORKER_CHILD_ARG = '--supervised-worker';

/** What a supervised worker sends its supervisor once its workers run. */
export const WORKER_READY = 'kiungo:worker-ready';

/** The supervisor asks for the worker's metrics (prom-client JSON); the worker answers with the same id. */
export interface MetricsRequest { kind: 'kiungo:metrics'; id: number }
export interface MetricsAnswer { kind: 'kiungo:metrics'; id: number; metrics: unknown[] }
/** The child says why it has not started its queue workers yet (it waits for workers of another stored layout to stop). */
export interface WorkerWaiting { kind: 'kiungo:worker-waiting'; reason: string }

export function isMetricsRequest(message: unknown): message is MetricsRequest {
  return typeof message === 'object' && message !== null && (message as MetricsRequest).kind === 'kiungo:metrics' && typeof (message as MetricsRequest).id === 'number';
}

export interface SupervisorOptions {
  /** The script to run (the gateway's own entry point). */
  entry: string;
  /** The worker's whole environment (SERVICE_MODE=worker, the resolved REDIS_URL). */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Niceness added to the supervisor's own for the worker (at most 19): the HTTP process wins the CPU when both want it. */
  nice?: number;
  /** First wait before a restart, doubled while it keeps dying young (default 500 ms, at most 30 s). */
  restartDelayMs?: number;
  /** The clock of `status()` (tests). */
  now?: () => number;
}

/**
 * What an operator needs to know about the worker child: `running` once it reported ready,
 * `starting` before that, `restarting` between a death and the next start, `stopped` at shutdown.
 */
export type WorkerState = 'starting' | 'running' | 'restarting' | 'stopped';

export interface WorkerExit {
  /** ISO time of the death. */
  at: string;
  code: number | null;
  signal: string | null;
  /** How long that child had run (ms). */
  livedMs: number;
  /** "exit code 1" or "signal SIGKILL". */
  reason: string;
}

export interface WorkerStatus {
  layout: 'process';
  state: WorkerState;
  /** The running child's pid; absent between two runs. */
  pid?: number;
  /** How many times it was started again after dying. */
  restarts: number;
  /** ISO time the current child was started; absent between two runs. */
  startedAt?: string;
  /** The last death, which caused the last restart. */
  lastExit?: WorkerExit;
  /** ISO time of the next start while `restarting`. */
  nextStartAt?: string;
  /** It died CRASH_LOOP_DEATHS times in a row within HEALTHY_MS of starting, and has not run HEALTHY_MS since. */
  crashLoop: boolean;
  /** The workers take jobs: running and not in a crash loop. */
  ok: boolean;
  /** Why not `ok`, in words for the person reading /readyz; absent when ok. */
  reason?: string;
}

export interface WorkerSupervisor {
  /** The running worker's pid; undefined between two runs. */
  readonly pid: number | undefined;
  /** How many times it was started again after dying. */
  readonly restarts: number;
  /** State, pid, restarts and the last death, for /readyz, /healthz, the console and /metrics. */
  status(): WorkerStatus;
  /** Resolves when the worker first reports ready, or false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  /** SIGTERM; SIGKILL if it outlives `graceMs`. No more restarts. */
  stop(graceMs: number): Promise<void>;
  /** Ends the worker now (the hard stop). */
  kill(): void;
  /** The running worker's metrics as prom-client JSON; undefined when none answers within `timeoutMs`. */
  metrics(timeoutMs: number): Promise<unknown[] | undefined>;
}

interface Running {
  pid: number | undefined;
  send(message: MetricsRequest): boolean;
  exited: Promise<void>;
  term(): void;
  kill(): void;
}

/** A worker that lived this long was healthy: the next restart waits the first delay again. */
const HEALTHY_MS = 60_000;
const MAX_DELAY_MS = 30_000;
/** This many young deaths in a row is a crash loop (not a one-off kill). */
export const CRASH_LOOP_DEATHS = 3;

function exitReason(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `exit code ${String(code)}`;
}

/** Starts the worker and keeps it running until `stop`. */
export function superviseWorker(options: SupervisorOptions): WorkerSupervisor {
  const { logger } = options;
  const firstDelay = options.restartDelayMs ?? 500;
  const now = options.now ?? Date.now;
  let delay = firstDelay;
  let stopping = false;
  let restarts = 0;
  let current: Running | undefined;
  /** The child that reported ready (the current one once it has). */
  let readyRun: Running | undefined;
  let startedAt = 0;
  /** What the current child said it waits for before starting its workers. */
  let waiting: string | undefined;
  let lastExit: WorkerExit | undefined;
  let nextStartAt: number | undefined;
  /** Deaths in a row of children that ran less than HEALTHY_MS. */
  let youngDeaths = 0;
  let pending: NodeJS.Timeout | undefined;
  let markReady: (() => void) | undefined;
  let nextId = 0;
  const answers = new Map<number, (metrics: unknown[]) => void>();
  const firstReady = new Promise<void>((resolve) => { markReady = resolve; });

  const launch = (): void => {
    pending = undefined;
    nextStartAt = undefined;
    startedAt = now();
    waiting = undefined;
    const launchedAt = startedAt;
    const onMessage = (message: unknown): void => {
      if (message === WORKER_READY) {
        logger.info({ pid: run.pid }, 'queue workers ready');
        readyRun = run;
        waiting = undefined;
        markReady?.();
      }
      const said = message as Partial<WorkerWaiting> | null;
      if (said?.kind === 'kiungo:worker-waiting' && typeof said.reason === 'string' && current === run) waiting = said.reason.slice(0, 500);
      const answer = message as Partial<MetricsAnswer> | null;
      if (answer?.kind === 'kiungo:metrics' && typeof answer.id === 'number' && Array.isArray(answer.metrics)) answers.get(answer.id)?.(answer.metrics);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      if (current === run) current = undefined;
      if (stopping) return;
      const livedMs = now() - launchedAt;
      const healthy = livedMs > HEALTHY_MS;
      delay = healthy ? firstDelay : delay;
      youngDeaths = healthy ? 0 : youngDeaths + 1;
      lastExit = { at: new Date(now()).toISOString(), code, signal, livedMs, reason: exitReason(code, signal) };
      logger.error({ pid: run.pid, code, signal, restartInMs: delay, youngDeaths }, 'the queue workers stopped: starting them again');
      restarts += 1;
      nextStartAt = now() + delay;
      pending = setTimeout(launch, delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    };
    const run = forkWorker(options, onMessage, onExit);
    current = run;
  };
  launch();

  const status = (): WorkerStatus => {
    const running = current !== undefined && readyRun === current;
    const state: WorkerState = stopping ? 'stopped' : running ? 'running' : current ? 'starting' : 'restarting';
    // A child that has run HEALTHY_MS since the last young death ended the loop.
    const crashLoop = youngDeaths >= CRASH_LOOP_DEATHS && !(running && now() - startedAt > HEALTHY_MS);
    const last = lastExit ? ` (last: ${lastExit.reason} after ${Math.round(lastExit.livedMs / 100) / 10} s, at ${lastExit.at})` : '';
    let reason: string | undefined;
    if (state === 'stopped') reason = 'the queue worker process was stopped (shutdown)';
    else if (crashLoop) reason = `the queue worker process is restarting in a loop: it died ${youngDeaths} times in a row within ${HEALTHY_MS / 1000} s of starting${last}`;
    else if (state === 'restarting') reason = `the queue worker process is down: it stopped${last} and starts again at ${new Date(nextStartAt ?? now()).toISOString()}`;
    else if (state === 'starting') reason = `the queue worker process (pid ${String(current?.pid)}) has not reported ready yet${waiting ? `: ${waiting}` : ''}${restarts > 0 ? ` after restart ${restarts}${last}` : ''}`;
    return {
      layout: 'process',
      state,
      ...(current?.pid !== undefined ? { pid: current.pid } : {}),
      restarts,
      ...(current ? { startedAt: new Date(startedAt).toISOString() } : {}),
      ...(lastExit ? { lastExit } : {}),
      ...(state === 'restarting' && nextStartAt !== undefined ? { nextStartAt: new Date(nextStartAt).toISOString() } : {}),
      crashLoop,
      ok: reason === undefined,
      ...(reason ? { reason } : {}),
    };
  };

  return {
    get pid() { return current?.pid; },
    get restarts() { return restarts; },
    status,
    async ready(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
      const result = await Promise.race([firstReady.then(() => true as const), late]);
      clearTimeout(timer);
      return result;
    },
    async stop(graceMs) {
      stopping = true;
      if (pending) clearTimeout(pending);
      const run = current;
      if (!run) return;
      run.term();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), graceMs); });
      if ((await Promise.race([run.exited, late])) === 'late') {
        logger.error({ pid: run.pid, graceMs }, 'the queue workers outlived the grace time: killing them');
        run.kill();
        await run.exited;
      }
      clearTimeout(timer);
    },
    kill() {
      stopping = true;
      if (pending) clearTimeout(pending);
      current?.kill();
    },
    async metrics(timeoutMs) {
      const id = nextId++;
      let timer: NodeJS.Timeout | undefined;
      try {
        return await new Promise<unknown[] | undefined>((resolve) => {
          answers.set(id, resolve);
          timer = setTimeout(() => resolve(undefined), timeoutMs);
          if (!current?.send({ kind: 'kiungo:metrics', id })) resolve(undefined);
        });
      } finally {
        clearTimeout(timer);
        answers.delete(id);
      }
    },
  };
}

function forkWorker(options: SupervisorOptions, onMessage: (message: unknown) => void, onExit: (code: number | null, signal: string | null) => void): Running {
  // Its own process group: a terminal's Ctrl-C reaches the supervisor, which stops it in order.
  const child: ChildProcess = fork(options.entry, [WORKER_CHILD_ARG], { env: options.env, detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => { onExit(code, signal); resolve(); }));
  child.on('message', onMessage);
  if (options.nice && child.pid !== undefined) {
    try {
      os.setPriority(child.pid, Math.min(19, os.getPriority() + options.nice));
    } catch (error) {
      options.logger.warn({ err: error, nice: options.nice }, 'could not lower the queue workers\' priority');
    }
  }
  // A failed spawn emits 'error' and then 'exit'; the restart follows the exit.
  child.on('error', (error) => options.logger.error({ err: error }, 'queue worker process error'));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid,
    exited,
    send: (message) => {
      if (!alive() || !child.connected) return false;
      try {
        return child.send(message);
      } catch {
        return false;
      }
    },
    term: () => { if (alive()) child.kill('SIGTERM'); },
    kill: () => { if (alive()) child.kill('SIGKILL'); },
  };
}

/**
 * `kiungo_worker_process_up` (1 while the worker child runs and is not in a crash loop) and
 * `kiungo_worker_process_restarts_total`, read from the supervisor at each scrape.
 */
export function workerProcessMetrics(metrics: Metrics, workers: Pick<WorkerSupervisor, 'status'>): void {
  metrics.gauge('kiungo_worker_process_up', 'The queue worker child process runs and took its jobs (1), or is starting, down or restarting in a loop (0); SERVICE_MODE=all, WORKER_LAYOUT=process', [], function collect() {
    this.set(workers.status().ok ? 1 : 0);
  });
  let counted = 0;
  if (metrics.registry.getSingleMetric('kiungo_worker_process_restarts_total')) return;
  new Counter({
    name: 'kiungo_worker_process_restarts_total',
    help: 'Times the queue worker child process died and was started again (SERVICE_MODE=all, WORKER_LAYOUT=process)',
    registers: [metrics.registry],
    collect() {
      const restarts = workers.status().restarts;
      if (restarts > counted) this.inc(restarts - counted);
      counted = restarts;
    },
  });
}
