import { startPrivateRedis } from '../../../src/infra/redis/private-redis';
import { closeRedis, createRedis, parseRedisUrl, redisReachable, waitForReady } from '../../../src/infra/redis/client';

describe('parseRedisUrl', () => {
  it('reads single, TLS, Sentinel and Cluster URLs', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390/3')).toMatchObject({ kind: 'single', tls: false, nodes: [{ host: '127.0.0.1', port: 6390 }], db: 3 });
    expect(parseRedisUrl('rediss://user:s%40cret@cache.example:6380')).toMatchObject({ kind: 'single', tls: true, username: 'user', password: 's@cret' });
    expect(parseRedisUrl('redis-sentinel://:pw@s1:26379,s2/kiungo-master/1')).toMatchObject({
      kind: 'sentinel', masterName: 'kiungo-master', db: 1, password: 'pw',
      nodes: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }],
    });
    expect(parseRedisUrl('redis-cluster://n1:7000,n2:7001')).toMatchObject({ kind: 'cluster', nodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }] });
  });

  it('rejects other schemes without echoing the password', () => {
    expect(() => parseRedisUrl('http://user:secret@x')).toThrow(/unsupported/);
    expect(() => parseRedisUrl('http://user:secret@x')).not.toThrow(/secret/);
  });
});

describe('fail-fast connections', () => {
  it('fails a command on a paused Redis within the command timeout instead of hanging', async () => {
    const server = await startPrivateRedis({ appendOnly: false, label: 'paused' });
    const client = createRedis({ url: server.url, commandTimeoutMs: 300, name: 'paused-test' });
    try {
      expect(await waitForReady(client, 5000)).toBe(true);
      process.kill(server.pid, 'SIGSTOP');
      const started = Date.now();
      await expect(client.get('anything')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await redisReachable(client, 500)).toBe(false);
    } finally {
      process.kill(server.pid, 'SIGCONT');
      await closeRedis(client);
      await server.stop();
    }
  });

  it('answers false, not an exception, when nothing listens', async () => {
    const client = createRedis({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200, name: 'dead-test' });
    try {
      expect(await redisReachable(client, 500)).toBe(false);
      await expect(client.get('x')).rejects.toThrow();
    } finally {
      await closeRedis(client);
    }
  });
});
