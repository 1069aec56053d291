import { createKeys } from '../../../src/infra/redis/keys';
import { Ledger } from '../../../src/sms/outbound/ledger.redis';
import { RECIPIENT_STATES, type MessageMeta, type RecipientState } from '../../../src/sms/outbound/types';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';
import type { RedisClient } from '../../../src/infra/redis/client';

describe('ledger', () => {
  let redis: RedisClient;
  let ledger: Ledger;
  let prefix: string;

  beforeAll(async () => { redis = await connectTestRedis('ledger-test'); });
  beforeEach(() => {
    prefix = uniquePrefix('ledger');
    ledger = new Ledger(redis, createKeys(prefix));
  });
  afterEach(async () => { await deletePrefix(redis, prefix); });
  afterAll(async () => { await closeRedis(redis); });

  const meta = (messageId: string, total: number): MessageMeta => ({ messageId, kind: 'broadcast', purpose: 'broadcast', text: 'Habari', total, segments: 1, batchSize: 100, createdAt: 1 });

  async function expectCountsAddUp(messageId: string): Promise<void> {
    const counts = await ledger.counts(messageId);
    expect(counts).toBeDefined();
    const sum = RECIPIENT_STATES.reduce((total, state) => total + (counts?.[state] ?? 0), 0);
    expect(sum).toBe(counts?.total);
  }

  it('creates a message once; a second create changes nothing', async () => {
    expect(await ledger.create(meta('m1', 2), [{ phone: '+255712000001', state: 'queued' }, { phone: 'junk', state: 'skipped', reason: 'invalid_number' }])).toBe(true);
    expect(await ledger.create(meta('m1', 1), [{ phone: '+255712000009', state: 'queued' }])).toBe(false);
    expect(await ledger.counts('m1')).toMatchObject({ total: 2, queued: 1, skipped: 1 });
    expect((await ledger.entry('m1', 1))?.reason).toBe('invalid_number');
  });

  it('only moves entries forward, atomically with the counts', async () => {
    await ledger.create(meta('m2', 1), [{ phone: '+255712000001', state: 'queued' }]);
    const step = async (to: RecipientState) => (await ledger.transition('m2', [{ index: 0, to }]))[0]?.code;
    expect(await step('sent')).toBe('refused'); // queued cannot skip sending
    expect(await step('sending')).toBe('moved');
    expect(await step('sent')).toBe('moved');
    expect(await step('sent')).toBe('repeated'); // a non-final state may repeat (Sent, then Buffered)
    expect(await step('queued')).toBe('refused');
    expect(await step('sending')).toBe('refused');
    expect(await step('delivered')).toBe('moved');
    for (const to of ['failed', 'sent', 'uncertain', 'queued', 'skipped', 'delivered'] as const) expect(await step(to)).toBe('refused');
    expect(await ledger.counts('m2')).toMatchObject({ total: 1, delivered: 1, queued: 0, sending: 0, sent: 0 });
  });

  it('lets a Success report turn failed into delivered only for an accepted message', async () => {
    await ledger.create(meta('m3', 2), [{ phone: '+255712000001', state: 'queued' }, { phone: '+255712000002', state: 'queued' }]);
    await ledger.transition('m3', [{ index: 0, to: 'sending' }, { index: 1, to: 'sending' }]);
    await ledger.transition('m3', [{ index: 0, to: 'sent', patch: { providerMessageId: 'ATXid_1' } }, { index: 1, to: 'failed', patch: { reason: 'InvalidPhoneNumber' } }]);
    await ledger.transition('m3', [{ index: 0, to: 'failed', patch: { reason: 'DeliveryFailure' } }]);
    const results = await ledger.transition('m3', [{ index: 0, to: 'delivered' }, { index: 1, to: 'delivered' }]);
    expect(results.map((result) => result.code)).toEqual(['moved', 'refused']);
    await expectCountsAddUp('m3');
  });

  it('merges the send result into an entry a report already finished', async () => {
    await ledger.create(meta('m4', 1), [{ phone: '+255712000001', state: 'queued' }]);
    await ledger.transition('m4', [{ index: 0, to: 'sending' }]);
    await ledger.transition('m4', [{ index: 0, to: 'delivered', patch: { lastReport: 'Success' } }]);
    const [result] = await ledger.transition('m4', [{ index: 0, to: 'sent', merge: true, patch: { providerMessageId: 'ATXid_9', parts: 2 } }]);
    expect(result?.code).toBe('refused');
    expect(await ledger.entry('m4', 0)).toMatchObject({ state: 'delivered', providerMessageId: 'ATXid_9', parts: 2, lastReport: 'Success' });
  });

  it('keeps the counts adding up under concurrent moves of the same entries', async () => {
    const total = 50;
    await ledger.create(meta('m5', total), Array.from({ length: total }, (_, n) => ({ phone: `+25571200${String(n).padStart(4, '0')}`, state: 'queued' as const })));
    const targets: RecipientState[] = ['sending', 'skipped', 'failed', 'sent', 'uncertain', 'delivered'];
    await Promise.all(Array.from({ length: 200 }, (_, n) => ledger.transition('m5', [{ index: n % total, to: targets[n % targets.length] ?? 'sending' }])));
    await expectCountsAddUp('m5');
    expect((await ledger.transition('m5', [{ index: 999, to: 'sent' }]))[0]?.code).toBe('missing');
  });
});
