/**
 * Connections through Sentinel survive a switch announced while they are reconnecting. ioredis's
 * failover detector, left from a connection's last session, aborts the reconnect under way when
 * +switch-master arrives; on a busy machine (slow sentinel answers) every connection of a process
 * is mid-reconnect at that moment and all of them end for good. Sentinel answers are slowed here
 * so that the switch always lands during a reconnect.
 */
import type Redis from 'ioredis';
import { closeRedis, createRedis, waitForReady } from '../../../src/infra/redis/client';
import { startRedisSentinel } from './support/redis-sentinel';

function slowSentinelAnswers(client: Redis, delayMs: number): void {
  const connector = (client as unknown as { connector: { resolve: (endpoint: unknown) => Promise<unknown> } }).connector;
  const resolve = connector.resolve.bind(connector);
  connector.resolve = async (endpoint) => {
    const answer = await resolve(endpoint);
    await new Promise((done) => setTimeout(done, delayMs));
    return answer;
  };
}

describe('Redis Sentinel switch during a reconnect', () => {
  it('leaves every connection working on the new master', async () => {
    const set = await startRedisSentinel({ label: 'reconnect' });
    const clients = Array.from({ length: 5 }, (_, i) => createRedis({ url: set.url, commandTimeoutMs: 1000, name: `switch-${i}` }) as Redis);
    try {
      for (const client of clients) {
        client.on('error', () => undefined);
        slowSentinelAnswers(client, 400);
        expect(await waitForReady(client, 10_000)).toBe(true);
      }
      const before = await set.currentMaster();
      await set.master.kill();
      for (let deadline = Date.now() + 30_000; (await set.currentMaster()) === before; await new Promise((done) => setTimeout(done, 100))) {
        if (Date.now() > deadline) throw new Error('the sentinels did not switch the master');
      }
      const ready = await Promise.all(clients.map((client) => waitForReady(client, 20_000)));
      expect(ready).toEqual(clients.map(() => true));
      expect(await Promise.all(clients.map((client) => client.ping()))).toEqual(clients.map(() => 'PONG'));
    } finally {
      await Promise.all(clients.map((client) => closeRedis(client)));
      await set.stop();
    }
  }, 90_000);
});
