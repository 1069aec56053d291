/** The production check of Redis settings: eviction and persistence are reported, refuse stops. */
import { enforceRedisPolicy, inspectRedisPolicy } from '../../../src/infra/redis/redis-policy';
import { createLogger } from '../../../src/kernel/logger';
import { startPrivateRedis } from '../../../src/infra/redis/private-redis';
import { closeRedis, createRedis, waitForReady } from '../../../src/infra/redis/client';

describe('Redis policy check', () => {
  it('reports an evicting, non-persistent Redis and passes a safe one', async () => {
    const server = await startPrivateRedis({ appendOnly: false, label: 'policy' });
    const client = createRedis({ url: server.url, commandTimeoutMs: 2000, name: 'policy-test' });
    try {
      await waitForReady(client, 5000);
      await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const risky = await inspectRedisPolicy(client);
      expect(risky.problems).toHaveLength(2);
      expect(risky.problems.join(' ')).toMatch(/allkeys-lru[\s\S]*noeviction[\s\S]*appendonly yes/);
      const logger = createLogger('silent');
      expect(await enforceRedisPolicy(client, 'warn', logger)).toBe(true);
      expect(await enforceRedisPolicy(client, 'refuse', logger)).toBe(false);
      await client.config('SET', 'maxmemory-policy', 'noeviction');
      await client.config('SET', 'appendonly', 'yes');
      expect((await inspectRedisPolicy(client)).problems).toEqual([]);
      expect(await enforceRedisPolicy(client, 'refuse', logger)).toBe(true);
    } finally {
      await closeRedis(client);
      await server.stop();
    }
  });
});
