/**
 * Erasure on request (Tanzania's Personal Data Protection Act, 2022): the registration, the
 * reminders and every trace keyed by the phone go; ledger entries stay (the counts of a broadcast
 * must still add up) but carry a masked number, and one-to-one message texts are blanked. The
 * opt-out list keeps the number, because honouring an opt-out needs it.
 */
import type { Keys } from '../infra/redis/keys';
import { maskPhone } from '../kernel/phone';
import type { RedisClient } from '../infra/redis/client';
import type { DelegateRepository } from '../event/delegates';
import type { ReminderRepository } from '../reminders/reminders';

export interface ErasureReport {
  delegate: boolean;
  ledgerEntries: number;
  messageTexts: number;
  outboxMessages: number;
  inboundMessages: number;
}

export interface EraseDeps {
  redis: RedisClient;
  keys: Keys;
  delegates: DelegateRepository;
  reminders: ReminderRepository;
  /** Hash keys mapping reminder subscriber refs to phones, one per pack. */
  subscriberRefKeys: string[];
}

export const ERASED_TEXT = '[erased]';

async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  if (!('scanStream' in redis)) return [];
  const found: string[] = [];
  for await (const batch of redis.scanStream({ match: pattern, count: 1000 }) as AsyncIterable<string[]>) found.push(...batch);
  return found;
}

/** Erases one person's data in one pack; safe to run twice. */
export async function erasePerson(deps: EraseDeps, packId: string, phone: string): Promise<ErasureReport> {
  const { redis, keys } = deps;
  const report: ErasureReport = { delegate: false, ledgerEntries: 0, messageTexts: 0, outboxMessages: 0, inboundMessages: 0 };
  report.delegate = await deps.delegates.erase(packId, phone);
  await deps.reminders.removeAll(packId, phone);
  const masked = maskPhone(phone);

  // Ledger: mask the number in every entry; blank the text of messages sent to this person alone.
  const messageIds = await redis.zrange(keys.messaging.messages(), 0, -1);
  // Plain commands, not a pipeline: each message has its own hash tag, so on a Cluster they live
  // on different shards (auto-pipelining still batches them per connection).
  for (let i = 0; i < messageIds.length; i += 100) {
    await Promise.all(messageIds.slice(i, i + 100).map(async (id) => {
      const [entries, meta] = await Promise.all([redis.hgetall(keys.messaging.recipients(id)), redis.hgetall(keys.messaging.meta(id))]);
      let touched = false;
      for (const [index, raw] of Object.entries(entries)) {
        const entry = JSON.parse(raw) as { phone?: string };
        if (entry.phone !== phone) continue;
        await redis.hset(keys.messaging.recipients(id), index, JSON.stringify({ ...entry, phone: masked }));
        report.ledgerEntries++;
        touched = true;
      }
      if (!touched || !meta.json) return;
      // The message description (JSON): blank a one-to-one text, mask the number wherever it appears.
      const description = JSON.parse(meta.json) as { kind?: string; text?: string };
      if (description.kind === 'single') {
        description.text = ERASED_TEXT;
        report.messageTexts++;
      }
      await redis.hset(keys.messaging.meta(id), 'json', JSON.stringify(description).split(phone).join(masked));
    }));
  }

  // The local outbox (development provider) and stored inbound messages.
  report.outboxMessages += await redis.llen(keys.messaging.outboxPhone(phone));
  await redis.del(keys.messaging.outboxPhone(phone));
  for (const raw of await redis.lrange(keys.messaging.outboxAll(), 0, -1)) {
    if ((JSON.parse(raw) as { to?: string }).to === phone) await redis.lrem(keys.messaging.outboxAll(), 0, raw);
  }
  for (const key of await scanKeys(redis, `${keys.prefix}:sms:inbound:*`)) {
    const raw = await redis.get(key);
    if (raw && (JSON.parse(raw) as { from?: string }).from === phone) {
      await redis.del(key);
      report.inboundMessages++;
    }
  }

  // USSD sessions of the number, with their cached answers (they would expire within minutes).
  for (const key of await scanKeys(redis, `${keys.prefix}:ussd:{*}:session`)) {
    const raw = await redis.get(key);
    if (!raw || (JSON.parse(raw) as { phone?: string }).phone !== phone) continue;
    const tag = key.slice(0, -':session'.length);
    await redis.del(key, ...(await scanKeys(redis, `${tag}:*`)));
  }

  // Pointers and counters keyed by the number.
  await redis.del(keys.ussd.resume(phone), `${keys.prefix}:sms:help-sent:${phone}`, keys.messaging.phoneHourly(phone));
  for (const refs of deps.subscriberRefKeys) {
    const all = await redis.hgetall(refs);
    const mine = Object.entries(all).filter(([, value]) => value === phone).map(([ref]) => ref);
    if (mine.length > 0) await redis.hdel(refs, ...mine);
  }
  return report;
}
