/**
 * The content guard: the same text to the same phone at most `cap` times in 30 minutes, counted
 * across every broadcast and reminder (an organiser pressing send twice, two campaigns with one
 * text). Each (phone, text) pair is one counter that starts with its first send and expires with
 * the window; a send over the cap is not counted and its recipient is skipped `repeated_content`.
 * Commands go one key at a time in a pipeline, so no script spans keys of different slots.
 */
import { createHash } from 'node:crypto';
import { TTL, type Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';

export class ContentGuard {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    /** 0 = no guard. */
    private readonly cap: number,
  ) {}

  get enabled(): boolean {
    return this.cap > 0;
  }

  /** Counts `text` once more for each phone; resolves the phones already at the cap (those are not counted). */
  async overCap(phones: readonly string[], text: string): Promise<Set<string>> {
    const over = new Set<string>();
    if (!this.enabled || phones.length === 0) return over;
    // The key is a hash of the pair: the number is not kept, so erasure has nothing to find here.
    const keyOf = (phone: string): string => this.keys.routing.contentRepeat(createHash('sha256').update(`${phone}\u0000${text}`).digest('hex').slice(0, 32));
    for (let start = 0; start < phones.length; start += 1000) {
      const chunk = phones.slice(start, start + 1000);
      const counting = this.redis.pipeline();
      for (const phone of chunk) counting.set(keyOf(phone), '0', 'EX', TTL.contentRepeatWindowS, 'NX').incr(keyOf(phone));
      const results = (await counting.exec()) ?? [];
      const undo = this.redis.pipeline();
      chunk.forEach((phone, position) => {
        const [error, count] = results[position * 2 + 1] ?? [];
        if (error) throw error;
        if (Number(count) > this.cap) {
          over.add(phone);
          undo.decr(keyOf(phone));
        }
      });
      if (undo.length > 0) await undo.exec();
    }
    return over;
  }
}
