/** The one Lua runner: EVALSHA first, the full script once when Redis does not know it yet. */
import { randomUUID } from 'node:crypto';
import { defineScript, runScript } from '../../../src/infra/redis/lua';
import type { RedisClient } from '../../../src/infra/redis/client';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';

describe('runScript', () => {
  let redis: RedisClient;
  const prefix = uniquePrefix('lua');
  beforeAll(async () => { redis = await connectTestRedis('lua-test'); });
  afterAll(async () => { await deletePrefix(redis, prefix); await closeRedis(redis); });

  it('runs a script Redis has never seen, then by its SHA', async () => {
    // A fresh source (unique comment), so its SHA is unknown to Redis until the first run.
    const script = defineScript('incr-by', `-- ${randomUUID()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`);
    expect(await redis.script('EXISTS', script.sha)).toEqual([0]);
    expect(await runScript(redis, script, [`${prefix}:n`], [2])).toBe(2);
    expect(await redis.script('EXISTS', script.sha)).toEqual([1]);
    expect(await runScript(redis, script, [`${prefix}:n`], [3])).toBe(5);
  });

  it('names the script when it fails', async () => {
    const script = defineScript('broken', "return redis.call('NO_SUCH_COMMAND')");
    await expect(runScript(redis, script, [], [])).rejects.toThrow(/^lua broken: /);
  });
});
