/**
 * Exactly one creator per broadcast id. Identical requests (a double-click, a client's retry)
 * claim the same id; the one that takes the id's creation lease creates, the others wait until
 * the broadcast is ready and answer with it. A creator that died leaves a lease that expires, and
 * the next request takes over with the same id, finishing whatever the dead one left undone.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../kernel/errors';
import type { BroadcastRecord, BroadcastStore } from './broadcasts.redis';

/** How long a creator may take, how long the others wait for it, and how often they look. */
export interface CreationTiming {
  leaseMs: number;
  waitMs: number;
  pollMs: number;
}

/**
 * A creation (audience resolved, record written, first wave queued) takes well under a second
 * for thousands of recipients; the lease is far longer so a slow but living creator is never
 * overtaken, and the wait stays below common HTTP client timeouts.
 */
export const CREATION_TIMING: CreationTiming = { leaseMs: 30_000, waitMs: 10_000, pollMs: 50 };

export interface CreateOnceSteps<R> {
  /** The broadcast as stored now (null: not written yet). */
  find(): Promise<BroadcastRecord | null>;
  /** Makes it exist and ready, given what an earlier creator may have written; runs under the lease. */
  create(written: BroadcastRecord | null): Promise<R>;
  /** The answer for a broadcast that is ready. */
  existing(record: BroadcastRecord): Promise<R>;
}

/** Runs `steps.create` at most once at a time for `id`; `created` tells which path answered. */
export async function createOnce<R>(store: BroadcastStore, id: string, steps: CreateOnceSteps<R>, timing: CreationTiming = CREATION_TIMING): Promise<{ result: R; created: boolean }> {
  const token = randomUUID();
  // Counted in polls, not read from the gateway clock (which tests fix): a wait for another request.
  for (let polls = Math.ceil(timing.waitMs / timing.pollMs); ; polls--) {
    const record = await steps.find();
    if (record && !record.creating) return { result: await steps.existing(record), created: false };
    if (await store.lease(id, token, timing.leaseMs)) {
      try {
        // Read again under the lease: the previous holder may have finished just before it ended.
        const now = await steps.find();
        if (now && !now.creating) return { result: await steps.existing(now), created: false };
        return { result: await steps.create(now), created: true };
      } finally {
        await store.release(id, token);
      }
    }
    if (polls <= 0) throw new AppError('BROADCAST.CONFLICT', 'This broadcast is still being created by an earlier request with the same Idempotency-Key; send the same request again.');
    await new Promise((resolve) => setTimeout(resolve, timing.pollMs));
  }
}
