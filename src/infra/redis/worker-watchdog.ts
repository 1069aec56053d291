/**
 * A watchdog for BullMQ consumers. A worker can stop taking jobs without failing: after a Sentinel
 * failover or a full Redis restart its blocking connection may wait forever on a server that no
 * longer serves it, and nothing is logged. The watchdog notices jobs that are ready to run while
 * this worker runs none and has started none for `stuckAfterMs`, closes that worker (without
 * waiting) and starts a fresh one on a fresh connection; jobs it held are taken up again by
 * BullMQ's stalled-job check as after a crash.
 */
import type { Worker } from 'bullmq';
import type { Logger } from '../../kernel/logger';

export interface WatchdogOptions {
  /** Shown in logs and the metric. */
  name: string;
  /** A new worker (each on a connection of its own). */
  create(): Worker;
  /** Jobs ready to run now in the worker's queue (waiting and prioritized). */
  ready(): Promise<number>;
  logger: Logger;
  stuckAfterMs?: number;
  checkEveryMs?: number;
  /** Called after each restart (a metric). */
  onRestart?(): void;
  /** Closes what `create` opened for a worker that is replaced (its connection). */
  dispose?(worker: Worker): Promise<void>;
}

export interface WatchedWorker {
  /** The worker running now. */
  current(): Worker;
  restarts(): number;
  close(force?: boolean): Promise<void>;
}

export function watchWorker(options: WatchdogOptions): WatchedWorker {
  const stuckAfterMs = options.stuckAfterMs ?? 20_000;
  let worker: Worker;
  let active = 0;
  let lastProgress = Date.now();
  let suspectSince: number | undefined;
  let restarts = 0;
  let closing = false;
  let checking = false;

  function start(): void {
    const created = options.create();
    worker = created;
    active = 0;
    lastProgress = Date.now();
    created.on('active', () => { if (worker === created) { active += 1; lastProgress = Date.now(); } });
    const finished = (): void => { if (worker === created) { active = Math.max(0, active - 1); lastProgress = Date.now(); } };
    created.on('completed', finished);
    created.on('failed', finished);
  }
  start();

  async function check(): Promise<void> {
    if (closing || checking) return;
    checking = true;
    try {
      // A hanging Redis must not hang the watchdog: no answer within the check period (2 s at
      // least, so a slow answer on a busy host is not taken for "nothing ready") counts as none.
      let timer: NodeJS.Timeout | undefined;
      const ready = await Promise.race([
        options.ready().catch(() => 0),
        new Promise<number>((resolve) => { timer = setTimeout(() => resolve(0), Math.max(options.checkEveryMs ?? 5000, 2000)); }),
      ]).finally(() => clearTimeout(timer));
      if (active > 0 || ready === 0) {
        suspectSince = undefined;
        return;
      }
      const now = Date.now();
      suspectSince ??= now;
      if (lastProgress > suspectSince || now - suspectSince < stuckAfterMs || closing) return;
      restarts += 1;
      options.logger.error({ worker: options.name, ready, idleMs: now - lastProgress, restarts }, 'worker stopped taking jobs: starting a new one');
      const old = worker;
      suspectSince = undefined;
      start();
      options.onRestart?.();
      void old.close(true).catch(() => undefined).then(() => options.dispose?.(old)).catch(() => undefined);
    } finally {
      checking = false;
    }
  }
  const timer = setInterval(() => { void check(); }, options.checkEveryMs ?? 5000);
  timer.unref();

  return {
    current: () => worker,
    restarts: () => restarts,
    async close(force = false) {
      closing = true;
      clearInterval(timer);
      await worker.close(force);
    },
  };
}
