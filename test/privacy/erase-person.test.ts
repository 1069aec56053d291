/**
 * Erasure is a loop over erasable stores; each store erases only the number it is given. Real
 * Redis for the stores, with a fresh prefix per test.
 */
import { createKeys, type Keys } from '../../src/infra/redis/keys';
import { erasePerson, type Erasable } from '../../src/privacy/erase-person';
import { createSessionStore } from '../../src/ussd/session-store.redis';
import { createInboundSmsErasure } from '../../src/sms/inbound/inbound-state.redis';
import { createLedgerErasure } from '../../src/sms/outbound/outbound-erasure.redis';
import { createRedisReminderStore } from '../../src/reminders/reminders.redis';
import { ERASED_TEXT } from '../../src/privacy/erasable';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../support/redis';
import type { RedisClient } from '../../src/infra/redis/client';
import { createUssdStats } from '../../src/ussd/ussd-stats.redis';
import { createMetrics } from '../../src/kernel/metrics';
import { createLogger } from '../../src/kernel/logger';
import { createBroadcastStore, type BroadcastMeta } from '../../src/broadcasts/broadcasts.redis';
import { OutboxSmsProvider } from '../../src/providers/outbox/outbox-sms-provider';
import { createOutboxErasure, createOutboxStore, listOutbox } from '../../src/providers/outbox/outbox.redis';
import { createPendingReportErasure } from '../../src/sms/outbound/outbound-erasure.redis';

const ME = '+255718000001';
const OTHER = '+255718000002';

describe('erasePerson', () => {
  it('runs every store in order with the pack and phone, and reports each under its name', async () => {
    const calls: string[] = [];
    const store = (name: string, n: number): Erasable => ({ erase: async (pack, phone) => { calls.push(`${name} ${pack} ${phone}`); return n; } });
    const report = await erasePerson({ first: store('first', 2), second: store('second', 0) }, 'egov2015', ME);
    expect(calls).toEqual([`first egov2015 ${ME}`, `second egov2015 ${ME}`]);
    expect(report).toEqual({ first: 2, second: 0 });
  });

  it('rejects when a store fails, so the caller can repeat the request', async () => {
    const broken: Erasable = { erase: () => Promise.reject(new Error('redis down')) };
    await expect(erasePerson({ broken }, 'egov2015', ME)).rejects.toThrow('redis down');
  });
});

describe('erasable stores', () => {
  let redis: RedisClient;
  let prefix: string;
  let keys: Keys;
  beforeAll(async () => { redis = await connectTestRedis('erase-person-test'); });
  beforeEach(() => { prefix = uniquePrefix('erase'); keys = createKeys(prefix); });
  afterEach(async () => { await deletePrefix(redis, prefix); });
  afterAll(async () => { await closeRedis(redis); });

  const snapshot = { packId: 'egov2015', flowVersion: '1', node: 'home', lang: 'sw', values: {}, page: 0, history: [], steps: 0, ended: false };
  const record = (phone: string) => ({ packId: 'egov2015', snapshot, consumed: '', phone, startedAt: '2015-05-01T08:00:00Z', hops: 1 }) as never;

  it('erases the sessions of the number only, even when a session id holds glob characters', async () => {
    const sessions = createSessionStore(redis, keys, { sessionTtlS: 200, resumeWindowS: 300 });
    // `a*` as a SCAN pattern would also match the other caller's session `abc`.
    for (const [id, phone] of [['a*', ME], ['abc', OTHER]] as const) {
      const hop = await sessions.begin(id, 'h1');
      if (hop.kind !== 'locked') throw new Error('expected the lock');
      await sessions.finish(id, hop.token, record(phone), 'CON hello', 'h1');
    }
    await sessions.setResume(ME, { sessionId: 'a*', packId: 'egov2015' });

    expect(await sessions.erase('egov2015', ME)).toBe(2);
    expect(await sessions.load('a*')).toBeNull();
    expect(await sessions.resumeFor(ME)).toBeNull();
    expect(await redis.get(keys.ussd.hop('a*', 'h1'))).toBeNull();
    expect((await sessions.load('abc'))?.phone).toBe(OTHER);
    expect(await redis.get(keys.ussd.hop('abc', 'h1'))).toBe('CON hello');
    expect(await sessions.erase('egov2015', ME)).toBe(0);
  });

  it('erases stored inbound messages and the help marker of the sender only', async () => {
    await redis.set(keys.inbound.message('AT1'), JSON.stringify({ id: 'AT1', from: ME, text: 'SAJILI Zawadi' }));
    await redis.set(keys.inbound.message('AT2'), JSON.stringify({ id: 'AT2', from: OTHER, text: 'RATIBA' }));
    await redis.set(keys.inbound.helpSent(ME), '1');
    expect(await createInboundSmsErasure(redis, keys).erase('egov2015', ME)).toBe(2);
    expect(await redis.exists(keys.inbound.message('AT1'), keys.inbound.helpSent(ME))).toBe(0);
    expect(await redis.exists(keys.inbound.message('AT2'))).toBe(1);
  });

  it('masks the number in the ledger and blanks one-to-one texts, keeping the entries', async () => {
    const k = keys.messaging;
    await redis.zadd(k.messages(), 1, 'm1', 2, 'm2');
    await redis.hset(k.meta('m1'), 'json', JSON.stringify({ kind: 'single', text: `Karibu Zawadi (${ME})` }));
    await redis.hset(k.recipients('m1'), '0', JSON.stringify({ phone: ME, state: 'sent' }));
    await redis.hset(k.meta('m2'), 'json', JSON.stringify({ kind: 'broadcast', text: 'Kikao kimeanza' }));
    await redis.hset(k.recipients('m2'), '0', JSON.stringify({ phone: OTHER, state: 'sent' }), '1', JSON.stringify({ phone: ME, state: 'delivered' }));

    expect(await createLedgerErasure(redis, keys).erase('egov2015', ME)).toBe(2);
    const raw = JSON.stringify([await redis.hgetall(k.meta('m1')), await redis.hgetall(k.recipients('m1')), await redis.hgetall(k.recipients('m2'))]);
    expect(raw).not.toContain(ME.slice(1));
    expect(JSON.parse((await redis.hget(k.meta('m1'), 'json')) ?? '{}')).toEqual({ kind: 'single', text: ERASED_TEXT });
    expect(JSON.parse((await redis.hget(k.recipients('m2'), '0')) ?? '{}')).toEqual({ phone: OTHER, state: 'sent' });
    expect(JSON.parse((await redis.hget(k.recipients('m2'), '1')) ?? '{}')).toMatchObject({ state: 'delivered' });
    expect(JSON.parse((await redis.hget(k.meta('m2'), 'json')) ?? '{}')).toEqual({ kind: 'broadcast', text: 'Kikao kimeanza' });
  });

  it('erases reminder subscriptions and the subscriber refs that point at the number', async () => {
    const reminders = createRedisReminderStore(redis, keys);
    await reminders.subscribe('egov2015', ME, 'S203');
    await reminders.subscribe('egov2015', OTHER, 'S203');
    await redis.hset(keys.reminders.subscriberRefs('egov2015'), 'ref-me', ME, 'ref-other', OTHER);
    expect(await reminders.erase('egov2015', ME)).toBe(2);
    expect(await reminders.subscribers('egov2015', 'S203')).toEqual([OTHER]);
    expect(await redis.hgetall(keys.reminders.subscriberRefs('egov2015'))).toEqual({ 'ref-other': OTHER });
  });

  it('drops the stored end-of-session notifications that carry the number', async () => {
    const stats = createUssdStats(redis, keys, createMetrics({ defaultMetrics: false }), createLogger('silent'));
    try {
      const end = (phoneNumber: string) => ({ packId: 'egov2015', sessionId: 's1', status: 'Success', lastNode: null, raw: { sessionId: 's1', phoneNumber, status: 'Success' } });
      await stats.recordSessionEnd(end(ME.slice(1)));
      await stats.recordSessionEnd(end(OTHER));
      expect(await stats.erase('egov2015', ME)).toBe(1);
      expect((await redis.lrange(keys.ussd.events(), 0, -1)).map((raw) => (JSON.parse(raw) as { phoneNumber: string }).phoneNumber)).toEqual([OTHER]);
    } finally {
      await stats.close();
    }
  });

  it('masks the number in the pack\'s broadcast recipient lists, keeping every position', async () => {
    const store = createBroadcastStore(redis, keys);
    const meta = (id: string, packId: string) => ({ id, packId, name: id, draft: { audience: { phones: [ME] } }, createdAt: '2015-08-17T05:00:00Z' }) as unknown as BroadcastMeta;
    await store.create(meta('b1', 'egov2015'), [{ p: OTHER, l: 'sw' }, { p: ME, l: 'en' }]);
    await store.create(meta('b2', 'egov2016'), [{ p: ME, l: 'sw' }]);
    expect(await store.erase('egov2015', ME)).toBe(1);
    const wave = await store.wave('b1', 0, 10);
    expect(wave).toHaveLength(2);
    expect(wave[0]).toEqual({ p: OTHER, l: 'sw' });
    expect(wave[1]?.p).not.toContain(ME.slice(1));
    expect(JSON.stringify(await store.get('b1'))).not.toContain(ME.slice(1));
    expect(await store.wave('b2', 0, 10)).toEqual([{ p: ME, l: 'sw' }]);
  });

  it('empties the number\'s outbox and removes its messages from the shared list', async () => {
    const outbox = new OutboxSmsProvider({ store: createOutboxStore(redis, keys), deliveryReportDelayMs: 0 });
    await outbox.send({ to: [ME, OTHER], message: 'Karibu', bulk: false });
    expect(await createOutboxErasure(redis, keys).erase('egov2015', ME)).toBe(1);
    expect(await listOutbox(redis, keys, { phone: ME, limit: 10 })).toEqual([]);
    expect((await listOutbox(redis, keys, { limit: 10 })).map((m) => m.to)).toEqual([OTHER]);
  });

  it('drops delivery reports about the number that wait for their message', async () => {
    const k = keys.messaging;
    await redis.hset(k.pendingReports(), 'AT-1', JSON.stringify({ id: 'AT-1', phoneNumber: ME }), 'AT-2', JSON.stringify({ id: 'AT-2', phoneNumber: OTHER }));
    await redis.zadd(k.pendingReportsByTime(), 1, 'AT-1', 2, 'AT-2');
    expect(await createPendingReportErasure(redis, keys).erase('egov2015', ME)).toBe(1);
    expect(Object.keys(await redis.hgetall(k.pendingReports()))).toEqual(['AT-2']);
    expect(await redis.zrange(k.pendingReportsByTime(), 0, -1)).toEqual(['AT-2']);
  });
});
