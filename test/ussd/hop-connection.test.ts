/**
 * The USSD hop's own Redis connection writes each command as it is issued (no auto-pipelining: a
 * hop sends one script per round trip); the other request-path connections keep auto-pipelining.
 */
import { closeRedis, createRedis } from '../../src/infra/redis/client';
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
