/** Test access to the private Redis started by the global setup, with a unique prefix per caller. */
import { randomBytes } from 'node:crypto';
import { closeRedis, createRedis, waitForReady, type RedisClient } from '../../src/infra/redis/client';

export function testRedisUrl(): string {
  const url = process.env.KIUNGO_TEST_REDIS_URL;
  if (!url) throw new Error('KIUNGO_TEST_REDIS_URL is not set: run the tests through jest (global setup starts Redis)');
  return url;
}

/** A prefix no other test uses, so tests never see each other's keys. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export async function connectTestRedis(name = 'test'): Promise<RedisClient> {
  const client = createRedis({ url: testRedisUrl(), commandTimeoutMs: 2000, name });
  if (!(await waitForReady(client, 5000))) throw new Error('test Redis not ready');
  return client;
}

/** Deletes every key under `prefix` (SCAN, never FLUSHALL). */
export async function deletePrefix(client: RedisClient, prefix: string): Promise<void> {
  if (!('scanStream' in client)) return;
  const stream = client.scanStream({ match: `*${prefix}*`, count: 500 });
  for await (const batch of stream as AsyncIterable<string[]>) if (batch.length > 0) await client.del(...batch);
}

export { closeRedis };
