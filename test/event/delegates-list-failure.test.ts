/**
 * Listing delegates (what a broadcast to everyone reads) fails when any read fails: under load a
 * pipeline entry can time out, and that delegate used to be left out of the broadcast silently.
 */
import { createRedisDelegateStore } from '../../src/event/delegates.redis';
import type { RedisClient } from '../../src/infra/redis/client';
import { createKeys } from '../../src/infra/redis/keys';

describe('delegate list', () => {
  it('rejects with REDIS.UNAVAILABLE when one read of the pipeline failed', async () => {
    const phones = Array.from({ length: 1200 }, (_, n) => `+2557540${String(n).padStart(5, '0')}`);
    let pages = 0;
    // The second page's read times out.
    const evalsha = async (_sha: string, count: number) => {
      pages += 1;
      if (pages === 2) throw new Error('Command timed out');
      return Array.from({ length: count }, () => []);
    };
    const redis = { zrangebyscore: async () => phones, evalsha } as unknown as RedisClient;
    const store = createRedisDelegateStore(redis, createKeys('list-failure'));
    await expect(store.list('egov2015')).rejects.toMatchObject({ code: 'REDIS.UNAVAILABLE' });
  });

  it('reads several pages at once and keeps the registration order when later pages answer first', async () => {
    const phones = Array.from({ length: 2600 }, (_, n) => `+2557540${String(n).padStart(5, '0')}`);
    let inFlight = 0;
    let most = 0;
    let pages = 0;
    const evalsha = async (_sha: string, count: number, ...keysAndFields: string[]) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      const page = pages++;
      // Later pages answer sooner.
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, 30 - page * 5)));
      inFlight -= 1;
      const fields = keysAndFields.slice(count);
      return keysAndFields.slice(0, count).map((key) => {
        const phone = key.slice(key.lastIndexOf('+'));
        const stored: Record<string, string> = { phone, code: `C${phone.slice(-5)}`, name: phone };
        return fields.map((field) => stored[field] ?? null);
      });
    };
    const redis = { zrangebyscore: async () => phones, evalsha } as unknown as RedisClient;
    const listed = await createRedisDelegateStore(redis, createKeys('list-order')).list('egov2015');
    expect(listed.items.map((delegate) => delegate.phone)).toEqual(phones);
    expect(most).toBeGreaterThan(1);
  });
});
