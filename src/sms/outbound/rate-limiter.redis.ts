/**
 * The global send rate: at most `ratePerSecond` recipients reach the provider in any one-second
 * window (sliding, any start), shared by every worker of every process through one Redis log. The
 * bulk lane may use only part of it, so a reply always finds room even while a large broadcast is
 * draining.
 *
 * Each recipient's slot is stamped with the time its call may leave: now when slots are free, else
 * the moment enough of the oldest leave the window (up to `PACE_AHEAD_MS` ahead, so no worker polls
 * for room). The call is held until that moment and must leave within `PACE_GUARD_MS` of it, or
 * its slots are given back and taken again. The log counts a second plus that guard, so however
 * the calls of one second are late within the guard, no second at the provider carries more than
 * the rate. A network with a share
 * (SMS_NETWORK_SHARES) is counted in its own log by the same script, in the same step.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import { paceScript } from './ledger-scripts';
import { runScript } from '../../infra/redis/lua';
import type { Lane } from './types';

/** The most a call may leave after its slot's time (the Redis answer, the claim, the call's start). */
export const PACE_GUARD_MS = 25;
/** The furthest ahead a slot is taken (the call is held until then). */
export const PACE_AHEAD_MS = 300;
/** The log's window: a second, the guard, and a millisecond either side for Redis TIME's rounding. */
export const PACE_WINDOW_MS = 1000 + PACE_GUARD_MS + 2;

/** Recipients per second the bulk lane may take: the rate minus a fifth (at least one) kept for replies. */
export function bulkShare(ratePerSecond: number): number {
  if (ratePerSecond <= 1) return 1;
  return ratePerSecond - Math.max(1, Math.floor(ratePerSecond / 5));
}

/** A network's own log and limit, counted with the global one. */
export interface NetworkSlot {
  key: string;
  limit: number;
}

/** Slots taken for one call: send at most `count` recipients, not before `notBefore`, and only while `fresh`. */
export interface Grant {
  readonly count: number;
  /** performance.now() from which the call may leave (the answer came, plus the hold): never earlier than its slot. */
  readonly notBefore: number;
  /** performance.now() after which it may not (asked, plus the hold, plus the guard). */
  readonly leaveBy: number;
  readonly token: string;
  readonly keys: readonly string[];
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
   * Waits until slots are free and takes them: all `n` (capped at the lane's and the network's
   * limit) when `whole`, else as many as are free now (at least one). Resolves undefined when
   * `signal` aborts first. Take slots only right before the call and check `fresh` just before it.
   */
  async take(n: number, lane: Lane, options: { network?: NetworkSlot; whole?: boolean; signal?: AbortSignal } = {}): Promise<Grant | undefined> {
    const { network, whole = false, signal } = options;
    const limit = this.limitFor(lane);
    const wanted = Math.max(1, Math.min(n, limit, network?.limit ?? limit));
    const keys = network ? [this.keys.pacing.global(), network.key] : [this.keys.pacing.global()];
    while (!signal?.aborted) {
      const token = randomUUID();
      const askedAt = performance.now();
      const [granted, ms] = (await runScript(this.redis, paceScript, keys, [PACE_WINDOW_MS, limit, wanted, token, network?.limit ?? 0, whole ? 1 : 0, PACE_AHEAD_MS])) as [number, number];
      if (Number(granted) > 0) return { count: Number(granted), notBefore: performance.now() + Number(ms), leaveBy: askedAt + Number(ms) + PACE_GUARD_MS, token, keys };
      await sleep(Math.min(Math.max(Number(ms), 2), PACE_WINDOW_MS), signal);
    }
    return undefined;
  }

  /** Waits until the call on `grant` may leave (its slot's time); false when `signal` aborts first. */
  async hold(grant: Grant, signal?: AbortSignal): Promise<boolean> {
    const ms = grant.notBefore - performance.now();
    if (ms > 0) await sleep(Math.ceil(ms), signal);
    return !signal?.aborted;
  }

  /** True while a call on `grant` may still leave (within the guard of its slot's time). */
  fresh(grant: Grant): boolean {
    return performance.now() <= grant.leaveBy;
  }

  /** Gives back the slots of a grant whose call did not leave (late, or fewer recipients than slots). */
  async release(grant: Grant, keep = 0): Promise<void> {
    if (keep >= grant.count) return;
    const members = Array.from({ length: grant.count - keep }, (_, i) => `${grant.token}:${keep + i + 1}`);
    await Promise.all(grant.keys.map((key) => this.redis.zrem(key, ...members)));
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
