/**
 * The global send rate: at most `ratePerSecond` recipients handed to the provider in any one-second
 * window, shared by every worker of every process through one Redis sorted set. The bulk lane may
 * use only part of it, so a reply always finds room even while a large broadcast is draining.
 */
import { randomUUID } from 'node:crypto';
import type { Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import { rateLimitScript } from './ledger-scripts';
import { runScript } from '../../infra/redis/lua';
import type { Lane } from './types';

const WINDOW_MS = 1000;

/** Recipients per second the bulk lane may take: the rate minus a fifth (at least one) kept for replies. */
export function bulkShare(ratePerSecond: number): number {
  if (ratePerSecond <= 1) return 1;
  return ratePerSecond - Math.max(1, Math.floor(ratePerSecond / 5));
}

export class SendRateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly ratePerSecond: number,
  ) {}

  /** The most recipients one provider call of `lane` may carry (a call never exceeds the lane's share). */
  limitFor(lane: Lane): number {
    return lane === 'priority' ? this.ratePerSecond : bulkShare(this.ratePerSecond);
  }

  /**
   * Waits until `n` (<= `limitFor(lane)`) slots are free and takes them. Resolves false when
   * `signal` aborts first; never takes slots it does not use.
   */
  async acquire(n: number, lane: Lane, signal?: AbortSignal): Promise<boolean> {
    const limit = this.limitFor(lane);
    const wanted = Math.min(n, limit);
    const token = randomUUID();
    while (!signal?.aborted) {
      const wait = Number(await runScript(this.redis, rateLimitScript, [this.keys.messaging.rateWindow()], [WINDOW_MS, limit, wanted, token]));
      if (wait === 0) return true;
      await sleep(Math.min(Math.max(wait, 5), WINDOW_MS), signal);
    }
    return false;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
