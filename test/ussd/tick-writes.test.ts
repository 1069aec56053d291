/**
 * The hop connection's commands of one event-loop turn leave in one socket write, in the order
 * they were issued, and each gets its own reply; a connection that is not ready is left alone.
 */
import type Redis from 'ioredis';
import { closeRedis, createRedis, waitForReady } from '../../src/infra/redis/client';
import { joinTurnWrite } from '../../src/ussd/tick-writes.redis';
import { testRedisUrl, uniquePrefix } from '../support/redis';

/** Counts the socket's writes to the kernel (one `_write` or one `_writev` each). */
function countWrites(redis: Redis): () => number {
  const socket = redis.stream as unknown as { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
  let writes = 0;
  const write = socket._write.bind(socket);
  const writev = socket._writev.bind(socket);
  socket._write = (...a) => { writes += 1; write(...a); };
  socket._writev = (...a) => { writes += 1; writev(...a); };
  return () => writes;
}

test('commands of one turn share a write and keep their order and replies', async () => {
  const redis = createRedis({ url: testRedisUrl(), commandTimeoutMs: 2000, name: 'tick-writes', role: 'hop' }) as Redis;
  try {
    expect(await waitForReady(redis, 5000)).toBe(true);
    const key = `${uniquePrefix('tick')}:n`;
    const writes = countWrites(redis);
    const replies = Array.from({ length: 10 }, () => {
      joinTurnWrite(redis);
      return redis.incr(key);
    });
    // Several turns' worth from another turn: these leave in a write of their own.
    const later = new Promise<number[]>((resolve) => setImmediate(() => {
      joinTurnWrite(redis);
      void Promise.all([redis.incr(key), redis.incr(key)]).then(resolve);
    }));
    expect(await Promise.all(replies)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await later).toEqual([11, 12]);
    expect(writes()).toBe(2);
    // Replies that arrive together let the next commands go out together too.
    const before = writes();
    const next = await Promise.all(replies.map(async (reply) => {
      await reply;
      joinTurnWrite(redis);
      return redis.incr(key);
    }));
    expect(next).toEqual([13, 14, 15, 16, 17, 18, 19, 20, 21, 22]);
    expect(writes() - before).toBe(1);
    await redis.del(key);
  } finally {
    await closeRedis(redis);
  }
});

test('a connection that is not ready is not corked', async () => {
  const redis = createRedis({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200, name: 'tick-writes-down', role: 'hop' }) as Redis;
  try {
    joinTurnWrite(redis);
    await expect(redis.get('k')).rejects.toThrow();
    expect(redis.stream?.writableCorked ?? 0).toBe(0);
  } finally {
    await closeRedis(redis);
  }
});
