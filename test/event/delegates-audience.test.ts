/**
 * The delegate store's light read for freezing a broadcast's audience: the same delegates, in the
 * same order, as the full list, with what sending and the audience's selectors need.
 */
import { createRedisDelegateStore } from '../../src/event/delegates.redis';
import type { RedisClient } from '../../src/infra/redis/client';
import { createKeys } from '../../src/infra/redis/keys';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../support/redis';

let redis: RedisClient;
let prefix: string;

beforeAll(async () => { redis = await connectTestRedis('delegates-audience'); });
beforeEach(() => { prefix = uniquePrefix('audience'); });
afterEach(async () => { await deletePrefix(redis, prefix); });
afterAll(async () => { await closeRedis(redis); });

test('finds the delegates list finds, in registration order, with phone, language, cohort and institution type', async () => {
  const keys = createKeys(prefix);
  const store = createRedisDelegateStore(redis, keys);
  const at = Date.UTC(2026, 5, 1, 8, 0);
  for (let n = 0; n < 1200; n += 1) {
    await store.register('egov2015', {
      phone: `+2557540${String(n).padStart(5, '0')}`, name: `Jina ${n}`, institution: 'Wizara', institutionType: n % 3 === 0 ? 'ministry' : 'agency',
      cohort: n % 2 === 0 ? 'Cohort, A' : '', language: n % 4 === 0 ? 'en' : 'sw', channel: 'ussd',
    }, new Date(at + n));
  }
  await store.erase('egov2015', '+255754000007');
  // An index entry whose hash holds no registration (no code) is not a delegate, here as in the list.
  await redis.zadd(keys.delegates.index('egov2015'), at + 5000, '+255754099999');
  await redis.hset(keys.delegates.byPhone('egov2015', '+255754099999'), 'phone', '+255754099999', 'language', 'en');
  const listed = (await store.list('egov2015')).items;
  expect(listed).toHaveLength(1199);
  const light = await store.audienceOf?.('egov2015');
  expect(light).toEqual(listed.map(({ phone, language, cohort, institutionType }) => ({ phone, language, cohort, institutionType })));
});

test('rejects with REDIS.UNAVAILABLE when one page failed to read, as the list does', async () => {
  const phones = Array.from({ length: 1200 }, (_, n) => `+2557540${String(n).padStart(5, '0')}`);
  let pages = 0;
  const evalsha = async (_sha: string, count: number) => {
    pages += 1;
    if (pages === 2) throw new Error('Command timed out');
    return Array.from({ length: count * 4 }, () => '');
  };
  const failing = { zrangebyscore: async () => phones, evalsha } as unknown as RedisClient;
  await expect(createRedisDelegateStore(failing, createKeys('audience-failure')).audienceOf?.('egov2015')).rejects.toMatchObject({ code: 'REDIS.UNAVAILABLE' });
});
