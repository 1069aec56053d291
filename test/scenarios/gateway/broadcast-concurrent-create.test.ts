/**
 * One Idempotency-Key, many identical requests at the same moment (a double-click, a client's
 * retry): one broadcast, one 201, the others 200 with the same body, and it completes. A key
 * whose creator died before writing the broadcast is taken over with the same id.
 */
import request from 'supertest';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { createBroadcastStore, type BroadcastMeta } from '../../../src/broadcasts/broadcasts.redis';
import { createOnce } from '../../../src/broadcasts/create-once';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const ADMIN = 'admin-token-0123456789abcdef';
const admin = { Authorization: `Bearer ${ADMIN}` };

describe('concurrent broadcast creates with one Idempotency-Key', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ env: { ADMIN_TOKENS: `admin:${ADMIN}` } });
    for (let i = 0; i < 30; i++) {
      await stack.gateway.services.delegates.register('egov2015', {
        phone: `+2557160${String(i).padStart(5, '0')}`, name: `Mjumbe ${i}`, institution: 'eGA', institutionType: 'agency',
        cohort: '1', language: i % 3 ? 'sw' : 'en', channel: 'import',
      }, stack.clock.now());
    }
  });
  afterAll(async () => { await stack.close(); });

  const post = (key: string, text: string) => request(stack.gateway.app).post('/api/v1/broadcasts').set(admin).set('Idempotency-Key', key)
    .send({ audience: { all: true }, messages: { sw: `${text} {name}`, en: `${text} (en) {name}` }, urgent: true });

  async function completed(id: string) {
    return eventually(async () => {
      const response = await request(stack.gateway.app).get(`/api/v1/broadcasts/${id}`).set(admin).expect(200);
      const body = response.body as { state: string; total: number; counts: Record<string, number> };
      return body.state === 'completed' && body.counts.queued === 0 && body.counts.sending === 0 ? body : undefined;
    }, 20_000, `broadcast ${id} completed`);
  }

  async function outboxFor(text: string) {
    return (await listOutbox(stack.gateway.redis, stack.gateway.keys, { limit: 5000 })).filter((m) => m.message.startsWith(text));
  }

  it.each([3, 10])('%i identical requests at once: one 201, the rest 200 with the same id, one broadcast that completes', async (n) => {
    const key = `concurrent-${n}-0001`;
    const text = `Habari${n}`;
    const responses = await Promise.all(Array.from({ length: n }, () => post(key, text)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array<number>(n - 1).fill(200), 201].sort());
    const ids = new Set(responses.map((r) => (r.body as { id: string }).id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    for (const r of responses) expect((r.body as { total: number }).total).toBe(30);
    const list = (await request(stack.gateway.app).get('/api/v1/broadcasts?limit=100').set(admin).expect(200)).body as { items: Array<{ id: string; name: string }> };
    expect(list.items.filter((b) => b.id === id)).toHaveLength(1);
    const done = await completed(id ?? '');
    expect(done.total).toBe(30);
    const sent = await outboxFor(text);
    expect(sent).toHaveLength(30);
    expect(new Set(sent.map((m) => m.to)).size).toBe(30);
  });

  it('takes over a key whose creator died before writing the broadcast, with the same id', async () => {
    const { redis, keys } = stack.gateway;
    const key = 'orphaned-claim-0001';
    await redis.hset(keys.broadcasts.idempotency(), `egov2015|${key}`, 'borphan000001');
    const responses = await Promise.all([post(key, 'Yatima'), post(key, 'Yatima')]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 201]);
    for (const r of responses) expect((r.body as { id: string }).id).toBe('borphan000001');
    await completed('borphan000001');
    expect(await outboxFor('Yatima')).toHaveLength(30);
  });

  it('finishes a broadcast whose creator died after writing it but before queueing its first wave', async () => {
    const { redis, keys } = stack.gateway;
    const store = createBroadcastStore(redis, keys);
    const key = 'half-written-0001';
    const id = 'bhalf00000001';
    await redis.hset(keys.broadcasts.idempotency(), `egov2015|${key}`, id);
    const recipients = [{ p: '+255716000001', l: 'sw' as const }, { p: '+255716000002', l: 'en' as const }];
    const meta: BroadcastMeta = {
      id, packId: 'egov2015', name: 'Nusu', draft: { audience: { phones: recipients.map((r) => r.p) }, messages: { sw: 'Nusu sw', en: 'Nusu en' }, urgent: true },
      createdAt: stack.clock.now().toISOString(), sendAt: stack.clock.now().toISOString(), urgent: true, total: 2, byLanguage: { sw: 1, en: 1 },
      waveSize: 50, waves: 1, session: '',
    };
    await store.create(meta, recipients, { state: 'scheduled' });
    expect((await store.get(id))?.creating).toBe(true);
    const responses = await Promise.all([post(key, 'ignored'), post(key, 'ignored'), post(key, 'ignored')]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    for (const r of responses) expect(r.body).toMatchObject({ id, name: 'Nusu', total: 2 });
    await completed(id);
    expect((await store.get(id))?.creating).toBeUndefined();
    expect(await outboxFor('Nusu')).toHaveLength(2);
    expect(await outboxFor('ignored')).toHaveLength(0);
  });

  it('writes a large recipient list in chunks to a list of its own, renamed into place with the record: in order, without expiry, nothing left behind; two writers each replace the whole list', async () => {
    const { redis, keys } = stack.gateway;
    const store = createBroadcastStore(redis, keys);
    const id = 'bchunks000001';
    const recipients = Array.from({ length: 2500 }, (_, n) => ({ p: `+25571700${String(n).padStart(4, '0')}`, l: (n % 2 ? 'en' : 'sw') as 'sw' | 'en' }));
    const meta: BroadcastMeta = {
    id, packId: 'egov2015', name: 'Vipande', draft: { audience: { all: true }, messages: { sw: 'V sw', en: 'V en' }, urgent: true },
    createdAt: stack.clock.now().toISOString(), sendAt: stack.clock.now().toISOString(), urgent: true, total: recipients.length, byLanguage: { sw: 1250, en: 1250 },
    waveSize: 5000, waves: 1, session: '',
    };
    // Two creations of one id at once (a takeover of a slow creator): the list is one of them, whole.
    await Promise.all([store.create(meta, recipients), store.create(meta, recipients)]);
    const list = await redis.lrange(keys.broadcasts.recipients(id), 0, -1);
    expect(list).toHaveLength(2500);
    expect(list.map((r) => (JSON.parse(r) as { p: string }).p)).toEqual(recipients.map((r) => r.p));
    expect(await redis.pttl(keys.broadcasts.recipients(id))).toBe(-1);
    expect(await redis.keys(`${keys.broadcasts.recipients(id)}:building:*`)).toEqual([]);
    expect((await store.get(id))?.creating).toBe(true);
    // An empty audience leaves no list at all.
    await store.create({ ...meta, total: 0, byLanguage: { sw: 0, en: 0 } }, []);
    expect(await redis.exists(keys.broadcasts.recipients(id))).toBe(0);
  });

  it('waits out a dead creator\'s lease and then takes over; gives up with a conflict while a live one holds it', async () => {
    const store = createBroadcastStore(stack.gateway.redis, stack.gateway.keys);
    const timing = { leaseMs: 300, waitMs: 1000, pollMs: 20 };
    let creates = 0;
    const steps = { find: () => store.get('blease0000001'), existing: async () => 'existing', create: async () => { creates++; return 'created'; } };
    expect(await store.lease('blease0000001', 'dead-creator', timing.leaseMs)).toBe(true);
    const started = Date.now();
    expect(await createOnce(store, 'blease0000001', steps, timing)).toEqual({ result: 'created', created: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(creates).toBe(1);

    expect(await store.lease('blease0000002', 'live-creator', 60_000)).toBe(true);
    await expect(createOnce(store, 'blease0000002', { ...steps, find: () => store.get('blease0000002') }, { ...timing, waitMs: 200 })).rejects.toMatchObject({ code: 'BROADCAST.CONFLICT' });
    expect(creates).toBe(1);
  });
});
