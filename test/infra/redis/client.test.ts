import { startPrivateRedis } from '../../../src/infra/redis/private-redis';
import type Redis from 'ioredis';
import { closeRedis, createRedis, parseRedisUrl, redisReachable, REOPEN_AFTER_END_MS, waitForReady } from '../../../src/infra/redis/client';

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

describe('a connection ended without its owner closing it', () => {
  // What ioredis's Sentinel failover detector does when +switch-master arrives while the connection
  // is between attempts to reach the dead master: the attempt under way is aborted with
  // "Connection is closed." and the connection ends, its retry strategy never asked.
  function abortNextConnect(client: Redis): void {
    const connector = (client as unknown as { connector: { connect: (...args: unknown[]) => Promise<unknown> } }).connector;
    const original = connector.connect.bind(connector);
    connector.connect = () => {
      connector.connect = original;
      return Promise.reject(new Error('Connection is closed.'));
    };
  }

  it('opens again on the same object, so whoever holds it carries on', async () => {
    const server = await startPrivateRedis({ appendOnly: false, label: 'reopen' });
    const client = createRedis({ url: server.url, commandTimeoutMs: 1000, name: 'reopen-test' }) as Redis;
    client.on('error', () => undefined);
    try {
      expect(await waitForReady(client, 5000)).toBe(true);
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      abortNextConnect(client);
      client.disconnect(true);
      await ended;
      await expect(client.get('x')).rejects.toThrow(/Connection is closed/);
      expect(await waitForReady(client, 10_000)).toBe(true);
      expect(await client.ping()).toBe('PONG');
    } finally {
      await closeRedis(client);
      await server.stop();
    }
  });

  it('stays closed when its owner closes it', async () => {
    const server = await startPrivateRedis({ appendOnly: false, label: 'reopen-closed' });
    const client = createRedis({ url: server.url, commandTimeoutMs: 1000, name: 'closed-test' }) as Redis;
    const reopened = jest.fn();
    client.on('reopen', reopened);
    try {
      expect(await waitForReady(client, 5000)).toBe(true);
      await closeRedis(client);
      await new Promise((resolve) => setTimeout(resolve, REOPEN_AFTER_END_MS * 3));
      expect(reopened).not.toHaveBeenCalled();
      expect(client.status).toBe('end');
    } finally {
      client.disconnect();
      await server.stop();
    }
  });
});

describe('the hop connection writes once per event-loop turn', () => {
  type Chunks = { writes: number; chunksPerWrite: number[] };
  // Counts the socket's own writes: `_write` for one buffered command, `_writev` for several.
  function countWrites(client: Redis): Chunks {
    const seen: Chunks = { writes: 0, chunksPerWrite: [] };
    const socket = client.stream as unknown as {
      _write: (chunk: unknown, encoding: string, cb: () => void) => void;
      _writev: (chunks: unknown[], cb: () => void) => void;
    };
    const write = socket._write.bind(socket);
    const writev = socket._writev.bind(socket);
    socket._write = (chunk, encoding, cb) => { seen.writes += 1; seen.chunksPerWrite.push(1); write(chunk, encoding, cb); };
    socket._writev = (chunks, cb) => { seen.writes += 1; seen.chunksPerWrite.push(chunks.length); writev(chunks, cb); };
    return seen;
  }

  it('sends the commands issued in one turn while others await replies in one write, a lone one at once, and does the same after a reconnect', async () => {
    const server = await startPrivateRedis({ appendOnly: false, label: 'hop-writes' });
    const hop = createRedis({ url: server.url, commandTimeoutMs: 2000, name: 'hop-writes', role: 'hop' }) as Redis;
    const plain = createRedis({ url: server.url, commandTimeoutMs: 2000, name: 'plain-writes' }) as Redis;
    try {
      expect(await waitForReady(hop, 5000)).toBe(true);
      let seen = countWrites(hop);
      // The first leaves at once; the three issued while it awaits its reply share one write.
      expect(await Promise.all([hop.set('a', '1'), hop.get('a'), hop.incr('n'), hop.eval('return ARGV[1]', 0, 'x')])).toEqual(['OK', '1', 1, 'x']);
      expect(seen.chunksPerWrite).toEqual([1, 3]);
      // A lone command (none awaiting a reply) is written as it is issued, not at the end of the turn.
      const lone = hop.incr('n');
      expect(seen.writes).toBe(3);
      expect(await lone).toBe(2);

      const closed = new Promise((resolve) => hop.once('close', resolve));
      hop.disconnect(true);
      await closed;
      expect(await waitForReady(hop, 10_000)).toBe(true);
      seen = countWrites(hop);
      expect(await Promise.all([hop.incr('n'), hop.incr('n'), hop.get('n')])).toEqual([3, 4, '4']);
      expect(seen.chunksPerWrite).toEqual([1, 2]);

      // The other roles keep ioredis's own batching, unchanged.
      expect(await waitForReady(plain, 5000)).toBe(true);
      expect(await Promise.all([plain.incr('m'), plain.incr('m')])).toEqual([1, 2]);
    } finally {
      await closeRedis(hop);
      await closeRedis(plain);
      await server.stop();
    }
  });

  it('fails a command issued while Redis is paused within the command timeout, corked or not', async () => {
    const server = await startPrivateRedis({ appendOnly: false, label: 'hop-paused' });
    const hop = createRedis({ url: server.url, commandTimeoutMs: 300, name: 'hop-paused', role: 'hop' }) as Redis;
    try {
      expect(await waitForReady(hop, 5000)).toBe(true);
      process.kill(server.pid, 'SIGSTOP');
      const started = Date.now();
      const results = await Promise.allSettled([hop.get('x'), hop.get('y')]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      process.kill(server.pid, 'SIGCONT');
      await closeRedis(hop);
      await server.stop();
    }
  });
});
