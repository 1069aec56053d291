/** The hourly help marker on a real Redis: the first claim of a phone wins, others wait out the hour. */
import { TTL, createKeys } from '../../../src/infra/redis/keys';
import type { RedisClient } from '../../../src/infra/redis/client';
import { createHelpReplies } from '../../../src/sms/inbound/inbound-state.redis';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';

describe('help replies marker', () => {
  let redis: RedisClient;
  const keys = createKeys(uniquePrefix('help'));
  beforeAll(async () => { redis = await connectTestRedis('help-test'); });
  afterAll(async () => {
    await deletePrefix(redis, keys.prefix);
    await closeRedis(redis);
  });

  it('is claimed once per phone per hour', async () => {
    const help = createHelpReplies(redis, keys);
    expect(await help.claim('+255713200001')).toBe(true);
    expect(await help.claim('+255713200001')).toBe(false);
    expect(await help.claim('+255713200002')).toBe(true);
    const ttl = await redis.ttl(keys.inbound.helpSent('+255713200001'));
    expect(ttl).toBeGreaterThan(TTL.helpSentS - 5);
    expect(ttl).toBeLessThanOrEqual(TTL.helpSentS);
  });
});
