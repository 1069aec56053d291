/**
 * The USSD hop's own Redis connection writes each command as it is issued (no auto-pipelining: a
 * hop sends one script per round trip); the other request-path connections keep auto-pipelining.
 */
import { closeRedis, createRedis, waitForReady } from '../../src/infra/redis/client';
import { testRedisUrl } from '../support/redis';

test('the hop connection is not auto-pipelined; the command connection is', async () => {
  const hop = createRedis({ url: testRedisUrl(), commandTimeoutMs: 1000, name: 'hop-role', role: 'hop' });
  const command = createRedis({ url: testRedisUrl(), commandTimeoutMs: 1000, name: 'command-role' });
  try {
    expect(hop.options.enableAutoPipelining).toBe(false);
    expect(command.options.enableAutoPipelining).toBe(true);
    // Fails fast like the command connection: nothing queued while disconnected.
    expect(hop.options.enableOfflineQueue).toBe(false);
  } finally {
    await Promise.all([closeRedis(hop), closeRedis(command)]);
  }
});

test('the commands given to the hop connection in one turn of the event loop leave in one write, each answered as its own', async () => {
  const hop = createRedis({ url: testRedisUrl(), commandTimeoutMs: 1000, name: 'hop-role-writes', role: 'hop' }) as import('ioredis').default;
  try {
    expect(await waitForReady(hop, 5000)).toBe(true);
    await hop.ping();
    // Count what reaches the socket from here on: single writes, and gathered ones with their chunks.
    const socket = hop.stream as unknown as { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void };
    const writes: number[] = [];
    const write = socket._write.bind(socket);
    const writev = socket._writev.bind(socket);
    socket._write = (...a: unknown[]) => { writes.push(1); write(...a); };
    socket._writev = (chunks: unknown[], cb: unknown) => { writes.push(chunks.length); writev(chunks, cb); };
    const key = `hop-writes-${Date.now()}`;
    const replies = await Promise.all([hop.set(key, 'a'), hop.get(key), hop.append(key, 'b'), hop.get(key), hop.del(key)]);
    expect(replies).toEqual(['OK', 'a', 2, 'ab', 1]);
    expect(writes).toEqual([5]);
    // The next turn's commands leave in a write of their own.
    expect(await hop.get(key)).toBeNull();
    expect(writes).toEqual([5, 1]);
  } finally {
    await closeRedis(hop);
  }
});
