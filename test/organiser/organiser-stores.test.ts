/** The organisers' Redis stores: the unmatched-SMS inbox (bounded, erasable) and the audit trail (bounded, masked, CSV). */
import { createKeys } from '../../src/infra/redis/keys';
import { createUnmatchedInbox, UNMATCHED_MAX } from '../../src/organiser/unmatched-inbox.redis';
import { AUDIT_MAX, createAuditLog } from '../../src/organiser/audit.redis';
import { erasableStores } from '../../src/compose/privacy';
import { parseCsv } from '../../src/kernel/text/csv';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../support/redis';
import type { RedisClient } from '../../src/infra/redis/client';

describe('organiser stores', () => {
  let redis: RedisClient;
  const prefix = uniquePrefix('organiser');
  const keys = createKeys(prefix);
  beforeAll(async () => { redis = await connectTestRedis('organiser-stores'); });
  afterAll(async () => { await deletePrefix(redis, prefix); await closeRedis(redis); });

  it('keeps unmatched SMS per pack, marks replies, erases a sender and stays bounded', async () => {
    const inbox = createUnmatchedInbox(redis, keys);
    await inbox.record({ id: 'a', from: '+255712000001', to: '15001', text: 'Je, kuna maegesho?', at: '2015-08-16T07:00:00.000Z', packId: 'egov2015' });
    await inbox.record({ id: 'b', from: '+255712000002', to: '15001', text: 'Asante sana', at: '2015-08-16T07:01:00.000Z', packId: 'egov2016' });
    await inbox.record({ id: 'c', from: '+255712000001', to: '15002', text: 'Habari', at: '2015-08-16T07:02:00.000Z', packId: null });
    expect((await inbox.list('egov2015')).map((m) => m.id)).toEqual(['c', 'a']);
    await inbox.markReplied('a', '2015-08-16T07:05:00.000Z');
    expect(await inbox.get('a')).toMatchObject({ repliedAt: '2015-08-16T07:05:00.000Z' });
    // Erasure runs over it like every store that keeps a person's messages.
    const stores = erasableStores({ redis, keys, delegates: { erase: async () => false } as never, reminders: { erase: async () => 0 }, sessions: { erase: async () => 0 }, ussdStats: { erase: async () => 0 } });
    await expect(stores.unmatchedSms?.erase('egov2015', '+255712000001')).resolves.toBe(2);
    expect((await inbox.list('egov2016')).map((m) => m.id)).toEqual(['b']);
    for (let i = 0; i < UNMATCHED_MAX + 5; i++) await inbox.record({ id: `n${i}`, from: '+255712000003', to: '15001', text: 'x', at: '2015-08-16T08:00:00.000Z', packId: 'egov2016' });
    await expect(redis.llen(keys.dashboard.unmatched())).resolves.toBe(UNMATCHED_MAX);
  });

  it('records admin actions bounded, with phone numbers masked and never a token, and exports CSV', async () => {
    const audit = createAuditLog(redis, keys);
    await audit.record({ at: '2015-08-16T07:00:00.000Z', role: 'admin', fingerprint: 'tok-0123abcd', action: 'opt-in', target: '+255712345678', pack: 'egov2015', detail: 'Aliomba tena' });
    const [entry] = await audit.list({ limit: 1 });
    expect(entry).toMatchObject({ action: 'opt-in', target: '+2557XXXXX678', detail: 'Aliomba tena' });
    const pipeline = redis.pipeline();
    for (let i = 0; i < AUDIT_MAX + 3; i++) pipeline.lpush(keys.dashboard.audit(), JSON.stringify({ ...entry, action: 'login' }));
    await pipeline.exec();
    await audit.record({ at: '2015-08-16T07:01:00.000Z', role: 'viewer', fingerprint: 'tok-99999999', action: 'login', target: '', pack: '', detail: '=HYPERLINK("x")' });
    await expect(redis.llen(keys.dashboard.audit())).resolves.toBe(AUDIT_MAX);
    const csv = await audit.csv();
    // Every cell quoted, and a cell that would start a formula starts with a quote mark instead.
    expect(csv.split('\r\n')[0]).toBe('"at","role","fingerprint","action","target","pack","detail"');
    expect(csv.split('\r\n')[1]).toBe('"2015-08-16T07:01:00.000Z","viewer","tok-99999999","login","","","\'=HYPERLINK(""x"")"');
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(AUDIT_MAX + 1);
    for (const row of rows) expect(row.cells).toHaveLength(7);
    expect(rows.flatMap((r) => r.cells).filter((cell) => /^[=+\-@]/.test(cell))).toEqual([]);
  });
});
