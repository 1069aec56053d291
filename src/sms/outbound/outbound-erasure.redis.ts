/**
 * What the outbound side keeps about a number, erased on request: ledger entries keep their place
 * (a message's counts must still add up) but carry a masked number, and a one-to-one message's
 * text is blanked (it may name the person); the per-phone hourly cap window and delivery reports
 * still waiting for their message go. The opt-out list is left alone: honouring an opt-out needs
 * the number.
 */
import type { Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import { maskPhone } from '../../kernel/phone';
import { ERASED_TEXT, type Erasable } from '../../privacy/erasable';
import { BASE_FIELD, BUCKET_SIZE, storedPhone, withPhone } from './ledger-codec';

/** Masks the number in every ledger entry and message description (the ledger is not per pack). */
export function createLedgerErasure(redis: RedisClient, keys: Keys): Erasable {
  const k = keys.messaging;
  /** Masks one message; resolves to the number of entries masked. */
  async function maskMessage(id: string, phone: string, masked: string): Promise<number> {
    const meta = await redis.hgetall(k.meta(id));
    const total = meta.json ? Number((JSON.parse(meta.json) as { total?: number }).total ?? 0) : 0;
    // The ledger's buckets (see ledger-codec.ts), and the earlier layout's one hash.
    const hashes = [...Array.from({ length: Math.ceil(total / BUCKET_SIZE) }, (_, bucket) => k.recipientBucket(id, bucket)), k.recipients(id)];
    let touched = 0;
    for (const key of hashes) {
      for (const [field, raw] of Object.entries(await redis.hgetall(key))) {
        if (field === BASE_FIELD && key !== k.recipients(id)) continue;
        if (storedPhone(raw) !== phone) continue;
        await redis.hset(key, field, withPhone(raw, masked));
        touched++;
      }
    }
    if (touched === 0 || !meta.json) return touched;
    const description = JSON.parse(meta.json) as { kind?: string; text?: string };
    if (description.kind === 'single') description.text = ERASED_TEXT;
    await redis.hset(k.meta(id), 'json', JSON.stringify(description).split(phone).join(masked));
    return touched;
  }
  return {
    async erase(_packId, phone) {
      const masked = maskPhone(phone);
      const ids = await redis.zrange(k.messages(), 0, -1);
      let erased = 0;
      // Plain commands, not a pipeline: each message has its own hash tag, so on a Cluster they live
      // on different shards (auto-pipelining still batches them per connection).
      for (let i = 0; i < ids.length; i += 100) {
        for (const n of await Promise.all(ids.slice(i, i + 100).map((id) => maskMessage(id, phone, masked)))) erased += n;
      }
      return erased;
    },
  };
}

/** Drops the number's window of the hourly cap on inbound-triggered SMS. */
export function createPhoneCapErasure(redis: RedisClient, keys: Keys): Erasable {
  return { erase: (_packId, phone) => redis.del(keys.messaging.phoneHourly(phone)) };
}

/** Drops delivery reports about the number that still wait for their send result to be recorded. */
export function createPendingReportErasure(redis: RedisClient, keys: Keys): Erasable {
  const k = keys.messaging;
  // AT writes the number as it likes (with or without '+'): compare digits.
  const digits = (value: string | undefined): string => (value ?? '').replace(/\D/g, '');
  return {
    async erase(_packId, phone) {
      const mine = Object.entries(await redis.hgetall(k.pendingReports()))
        .filter(([, raw]) => digits((JSON.parse(raw) as { phoneNumber?: string }).phoneNumber) === digits(phone))
        .map(([providerMessageId]) => providerMessageId);
      if (mine.length === 0) return 0;
      await redis.hdel(k.pendingReports(), ...mine);
      await redis.zrem(k.pendingReportsByTime(), ...mine);
      return mine.length;
    },
  };
}
