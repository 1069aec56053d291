/** SMS figures per pack, read from the real ledger: each pack counts its own messages, and a message sent for no pack counts in none. */
import { createKeys } from '../../src/infra/redis/keys';
import type { RedisClient } from '../../src/infra/redis/client';
import { smsStats, type SmsLedgerReader } from '../../src/organiser/sms-stats';
import { Ledger, type NewRecipient } from '../../src/sms/outbound/ledger.redis';
import type { MessageMeta, RecipientState } from '../../src/sms/outbound/types';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../support/redis';

const PRICE = { currency: 'TZS', pricePerSegment: 20 };

describe('SMS figures per pack', () => {
  let redis: RedisClient;
  let ledger: Ledger;
  let reader: SmsLedgerReader;
  let prefix: string;
  let created = 0;

  beforeAll(async () => { redis = await connectTestRedis('sms-stats-test'); });
  beforeEach(() => {
    prefix = uniquePrefix('sms-stats');
    ledger = new Ledger(redis, createKeys(prefix));
    const keys = createKeys(prefix);
    reader = {
      listMessages: ({ limit = 50, packId } = {}) => (packId === undefined ? redis.zrevrange(keys.messaging.messages(), 0, limit - 1) : ledger.listPackMessages(packId, 0, limit)),
      getMessage: (id) => ledger.getMeta(id),
      countsByGroup: (id) => ledger.counts(id),
    };
  });
  afterEach(async () => { await deletePrefix(redis, prefix); });
  afterAll(async () => { await closeRedis(redis); });

  /** Creates a message of `segments` per recipient and moves each recipient to the state given. */
  async function message(id: string, packId: string | undefined, segments: number, states: RecipientState[]): Promise<void> {
    created += 1;
    const meta: MessageMeta = { messageId: id, kind: 'broadcast', purpose: 'broadcast', text: 'Habari', total: states.length, segments, batchSize: 100, createdAt: created, ...(packId ? { packId } : {}) };
    const recipients: NewRecipient[] = states.map((_, n) => ({ phone: `+25571200${String(n).padStart(4, '0')}`, state: 'queued' }));
    expect(await ledger.create(meta, recipients)).toBe(true);
    const path: Record<RecipientState, RecipientState[]> = {
      queued: [], sending: ['sending'], sent: ['sending', 'sent'], delivered: ['sending', 'sent', 'delivered'],
      failed: ['sending', 'failed'], skipped: ['skipped'], uncertain: ['sending', 'uncertain'],
    };
    for (const [index, state] of states.entries()) {
      for (const to of path[state]) expect((await ledger.transition(id, [{ index, to }]))[0]?.code).toBe('moved');
    }
  }

  it('counts two packs apart, and a message with no pack in neither', async () => {
    await message('a1', 'egov2015', 1, ['delivered', 'delivered', 'failed']);
    await message('a2', 'egov2015', 2, ['sent', 'queued']);
    await message('b1', 'egov2016', 3, ['delivered', 'uncertain', 'skipped']);
    await message('g1', undefined, 1, ['delivered', 'delivered', 'delivered', 'delivered']);

    expect(await smsStats(reader, PRICE, { packId: 'egov2015' })).toEqual({
      byState: { queued: 1, sending: 0, sent: 1, delivered: 2, failed: 1, skipped: 0, uncertain: 0 },
      // two delivered of one segment, one sent of two
      cost: { currency: 'TZS', amount: (2 * 1 + 1 * 2) * 20 },
    });
    expect(await smsStats(reader, PRICE, { packId: 'egov2016' })).toEqual({
      byState: { queued: 0, sending: 0, sent: 0, delivered: 1, failed: 0, skipped: 1, uncertain: 1 },
      cost: { currency: 'TZS', amount: 2 * 3 * 20 },
    });
    expect(await smsStats(reader, PRICE, { packId: 'egov2099' })).toEqual({ byState: {}, cost: { currency: 'TZS', amount: 0 } });
    // The gateway's figures hold every message, the one without a pack too.
    const gateway = await smsStats(reader, PRICE);
    expect(gateway.byState.delivered).toBe(2 + 1 + 4);
    expect(gateway.cost.amount).toBe((4 + 6 + 4) * 20);
  });

  it('lists a pack\'s messages newest first and reads only the `recent` newest', async () => {
    await message('a1', 'egov2015', 1, ['delivered']);
    await message('b1', 'egov2016', 1, ['delivered']);
    await message('a2', 'egov2015', 1, ['failed']);
    expect(await reader.listMessages({ packId: 'egov2015' })).toEqual(['a2', 'a1']);
    expect(await reader.listMessages({ packId: 'egov2016' })).toEqual(['b1']);
    expect(await reader.listMessages()).toEqual(['a2', 'b1', 'a1']);
    expect(await ledger.listPackMessages('egov2015', 1, 5)).toEqual(['a1']);
    expect((await smsStats(reader, PRICE, { packId: 'egov2015', recent: 1 })).byState).toMatchObject({ failed: 1, delivered: 0 });
  });

  it('keeps a pack\'s index as long as the ledger: expired ids leave it, the key itself expires', async () => {
    const keys = createKeys(prefix);
    const day = 24 * 3600 * 1000;
    const old: MessageMeta = { messageId: 'old', kind: 'single', purpose: 'reply', text: 'a', total: 1, segments: 1, batchSize: 1, createdAt: 1, packId: 'egov2015' };
    await ledger.create(old, [{ phone: '+255712000001', state: 'queued' }]);
    await ledger.create({ ...old, messageId: 'new', createdAt: 31 * day }, [{ phone: '+255712000001', state: 'queued' }]);
    expect(await ledger.listPackMessages('egov2015', 0, 10)).toEqual(['new']);
    const ttl = await redis.ttl(keys.messaging.packMessages('egov2015'));
    expect(ttl).toBeGreaterThan(29 * 24 * 3600);
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600);
  });
});
