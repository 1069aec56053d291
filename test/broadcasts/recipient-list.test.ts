/**
 * A broadcast's frozen recipient list is written in chunks, several in flight: it reads back whole
 * and in order, wave by wave, and a failed chunk fails the create without leaving a list behind.
 */
import { createBroadcastStore, broadcastKeys, type BroadcastMeta, type Recipient } from '../../src/broadcasts/broadcasts.redis';
import { createKeys } from '../../src/infra/redis/keys';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../support/redis';
import type { RedisClient } from '../../src/infra/redis/client';

describe('broadcast recipient list', () => {
  let redis: RedisClient;
  const prefix = uniquePrefix('bc-list');
  const keys = createKeys(prefix);
  beforeAll(async () => { redis = await connectTestRedis('bc-list'); });
  afterAll(async () => { await deletePrefix(redis, prefix); await closeRedis(redis); });

  const meta = (id: string, total: number): BroadcastMeta => ({
    id, packId: 'egov2015', name: 'n', draft: { audience: { all: true }, messages: { sw: 'x', en: 'y' } } as BroadcastMeta['draft'], createdAt: new Date(0).toISOString(), sendAt: new Date(0).toISOString(),
    urgent: true, total, byLanguage: { sw: total, en: 0 }, waveSize: 2500, waves: Math.ceil(total / 2500), session: '',
  });

  test('25,500 recipients (26 chunks, several in flight) read back in order, wave by wave', async () => {
    const store = createBroadcastStore(redis, keys);
    const recipients: Recipient[] = Array.from({ length: 25_500 }, (_, n) => ({ p: `+2557150${String(n).padStart(5, '0')}`, l: n % 4 === 0 ? 'en' : 'sw' }));
    await store.create(meta('bordered', recipients.length), recipients);
    const read: Recipient[] = [];
    for (let wave = 0; wave < 11; wave += 1) read.push(...await store.wave('bordered', wave, 2500));
    expect(read).toEqual(recipients);
  });

  test('a chunk that fails fails the create: no list, no record', async () => {
    const store = createBroadcastStore(redis, keys);
    // The third transaction (the third chunk of 1,000, sent with the others) never reaches Redis.
    const k = broadcastKeys(keys, 'broken');
    let calls = 0;
    const failing = new Proxy(redis, {
      get(target, name, receiver) {
        if (name !== 'multi') return Reflect.get(target, name, receiver);
        return (...args: unknown[]) => {
          const tx = (target.multi as (...a: unknown[]) => ReturnType<RedisClient['multi']>)(...args);
          calls += 1;
          return calls === 3 ? Object.assign(tx, { exec: async () => { throw new Error('chunk lost'); } }) : tx;
        };
      },
    });
    const broken = createBroadcastStore(failing as RedisClient, keys);
    const recipients: Recipient[] = Array.from({ length: 5_000 }, (_, n) => ({ p: `+2557160${String(n).padStart(5, '0')}`, l: 'sw' }));
    await expect(broken.create(meta('broken', recipients.length), recipients)).rejects.toThrow('chunk lost');
    expect(await redis.exists(k.recipients, k.record)).toBe(0);
    expect(await store.get('broken')).toBeNull();
  });
});
