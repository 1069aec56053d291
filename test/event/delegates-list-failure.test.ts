/**
 * Listing delegates (what a broadcast to everyone reads) fails when any read fails: under load a
 * pipeline entry can time out, and that delegate used to be left out of the broadcast silently.
 */
import { createRedisDelegateStore } from '../../src/event/delegates.redis';
import type { RedisClient } from '../../src/infra/redis/client';
import { createKeys } from '../../src/infra/redis/keys';

describe('delegate list', () => {
  it('rejects with REDIS.UNAVAILABLE when one read of the pipeline failed', async () => {
    const replies: Array<[Error | null, unknown]> = [[null, {}], [new Error('Command timed out'), null]];
    const pipeline = { hgetall() { return pipeline; }, exec: async () => replies };
    const redis = { zrangebyscore: async () => ['+255754000001', '+255754000002'], pipeline: () => pipeline } as unknown as RedisClient;
    const store = createRedisDelegateStore(redis, createKeys('list-failure'));
    await expect(store.list('egov2015')).rejects.toMatchObject({ code: 'REDIS.UNAVAILABLE' });
  });
});
