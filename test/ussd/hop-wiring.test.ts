/**
 * The hop as the gateway wires it (composeUssd): its reads and writes go over the 'hop' connection
 * when that is ready, and over the app's connection while it is not (at start, or while it
 * reconnects); on a Redis Cluster the hop reads its lock, the caller and the resume pointer apart
 * and finishes across slots, and still registers, replays and resumes.
 */
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { createResources, type Resources } from '../../src/compose/resources';
import { composeEventStores } from '../../src/compose/event';
import { composeUssd, type Ussd } from '../../src/compose/ussd';
import type { Reminders } from '../../src/compose/reminders';
import { createRedis, waitForReady, type ConnectionRole, type RedisClient } from '../../src/infra/redis/client';
import { freePort } from '../../src/infra/redis/private-redis';
import { createLogger } from '../../src/kernel/logger';
import { fixedClock } from '../../src/kernel/clock';
import type { UssdRequest } from '../../src/ussd/ussd-request';
import { deletePrefix, testRedisUrl, uniquePrefix } from '../support/redis';
import { recordingOutbound, samplePacks } from '../support/ussd-stack';
import { startRedisCluster, type RedisCluster } from '../scenarios/reliability/support/redis-cluster';

const SERVICE_CODE = '*384*2015#';

interface Wired {
  r: Resources;
  ussd: Ussd;
  packId: string;
  delegateOf(phone: string): Promise<unknown>;
  close(): Promise<void>;
}

/** composeUssd on real resources; `hopConnection` replaces the 'hop' connection the gateway would open. */
async function wire(redisUrl: string, hopConnection?: (name: string) => RedisClient): Promise<Wired> {
  const prefix = uniquePrefix('hopw');
  const config = loadConfig({ REDIS_PREFIX: prefix, FLOWS_DIR: path.resolve(__dirname, '../../flows'), LOG_LEVEL: 'silent', QUIET_HOURS: 'off' });
  const base = createResources({ config, logger: createLogger('silent'), clock: fixedClock('2015-08-17T06:10:00.000Z'), redisUrl, defaultMetrics: false });
  const r: Resources = {
    ...base,
    connect: (name: string, role?: ConnectionRole) => {
      if (role !== 'hop' || !hopConnection) return base.connect(name, role);
      const client = hopConnection(name);
      base.onClose(async () => client.disconnect());
      return client;
    },
  };
  await waitForReady(r.redis, 10_000);
  const packs = samplePacks();
  const stores = composeEventStores(r, packs);
  const reminders = { onSubscriptionChanged: async () => undefined } as unknown as Reminders;
  const ussd = composeUssd(r, packs, stores, recordingOutbound(), reminders, async () => ({}) as never);
  const pack = packs.find((p) => p.serviceCodes.includes(SERVICE_CODE));
  if (!pack) throw new Error('no sample pack answers the service code');
  return {
    r, ussd, packId: pack.id,
    delegateOf: (phone) => stores.delegates.get(pack.id, phone),
    async close() {
      await ussd.service.settled();
      if (!(redisUrl.startsWith('redis-cluster'))) await deletePrefix(r.redis, prefix).catch(() => undefined);
      await r.closeAll();
    },
  };
}

/** A handset on the service: cumulative text, a new session id per dial. */
function handset(ussd: Ussd, phone: string): { dial(): Promise<string>; send(input: string): Promise<string>; retry(): Promise<string>; sessionId: string } {
  let sessionId = '';
  let inputs: string[] = [];
  let dials = 0;
  const hop = (): Promise<string> => ussd.service.handle({ sessionId, phone, serviceCode: SERVICE_CODE, networkCode: '63902', text: inputs.join('*') } as UssdRequest);
  return {
    get sessionId() { return sessionId; },
    dial() { dials += 1; sessionId = `ATUid_${phone.slice(-4)}_${dials}_${Date.now()}`; inputs = []; return hop(); },
    send(input) { inputs.push(input); return hop(); },
    retry: hop,
  };
}

/** Registers through the home menu; resolves every screen. */
async function register(ussd: Ussd, phone: string, name: string): Promise<string[]> {
  const h = handset(ussd, phone);
  const screens = [await h.dial()];
  for (const input of ['1', name, 'Wizara ya Fedha', '1', '1', '1']) screens.push(await h.send(input));
  return screens;
}

/** A TCP relay to the test Redis, that can stop (dropping its connections) and start again on its port. */
async function relayTo(target: { host: string; port: number }): Promise<{ port: number; bytes(): number; start(): Promise<void>; stop(): Promise<void> }> {
  const port = await freePort();
  let bytes = 0;
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  return {
    port,
    bytes: () => bytes,
    start: () => new Promise((resolve) => {
      server = net.createServer((inbound) => {
        const outbound = net.connect(target);
        sockets.add(inbound).add(outbound);
        inbound.on('data', (chunk: Buffer) => { bytes += chunk.length; });
        inbound.pipe(outbound).pipe(inbound);
        const drop = (): void => { inbound.destroy(); outbound.destroy(); sockets.delete(inbound); sockets.delete(outbound); };
        inbound.on('error', drop).on('close', drop);
        outbound.on('error', drop).on('close', drop);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    }),
    stop: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) { resolve(); return; }
      server.close(() => resolve());
      server = undefined;
    }),
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the hop connection', () => {
  it('serves hops over the app connection while the hop connection is not ready or reconnecting, and over its own once ready', async () => {
    const url = new URL(testRedisUrl());
    const relay = await relayTo({ host: url.hostname, port: Number(url.port) });
    let hopClient: RedisClient | undefined;
    const wired = await wire(testRedisUrl(), (name) => {
      hopClient = createRedis({ url: `redis://127.0.0.1:${relay.port}`, commandTimeoutMs: 1000, name, role: 'hop' });
      hopClient.on('error', () => undefined);
      return hopClient;
    });
    try {
      const hop = hopClient as RedisClient;
      // Nothing listens at the hop connection's address yet: it is not ready, the app connection serves.
      expect(hop.status).not.toBe('ready');
      const first = await register(wired.ussd, '+255754100001', 'Asha Juma');
      expect(first[0]).toMatch(/^CON Karibu/);
      expect(first.at(-1)).toMatch(/^CON .*umesajiliwa/);
      expect(await wired.delegateOf('+255754100001')).not.toBeNull();
      expect(relay.bytes()).toBe(0);

      // Once ready, the hop's commands go over its own connection.
      await relay.start();
      await until(() => hop.status === 'ready', 'the hop connection to be ready');
      const before = relay.bytes();
      const second = handset(wired.ussd, '+255754100002');
      expect(await second.dial()).toMatch(/^CON Karibu/);
      expect(await second.send('1')).toMatch(/^CON /);
      const namePrompt = await second.send('Baraka Mushi');
      expect(namePrompt).toMatch(/^CON /);
      expect(relay.bytes()).toBeGreaterThan(before);

      // The hop connection drops and keeps reconnecting: the same session carries on, and resumes, over the app connection.
      await relay.stop();
      await until(() => hop.status !== 'ready', 'the hop connection to notice the drop');
      const during = relay.bytes();
      expect(await second.retry()).toBe(namePrompt);
      const offer = await second.dial();
      expect(offer).toMatch(/1\. Endelea[\s\S]*2\. Anza upya/);
      expect(await second.send('1')).toBe(namePrompt);
      const third = await register(wired.ussd, '+255754100003', 'Neema Kimaro');
      expect(third.at(-1)).toMatch(/^CON .*umesajiliwa/);
      expect(relay.bytes()).toBe(during);
      expect(hop.status).not.toBe('ready');
    } finally {
      await wired.close();
      await relay.stop();
    }
  }, 30_000);
});

describe('the hop on a Redis Cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ label: 'hop', masters: 3 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('registers, replays a retry byte for byte and resumes a dropped session over three masters', async () => {
    const wired = await wire(cluster.url);
    try {
      await waitForReady(wired.r.redis, 10_000);
      for (const [phone, name] of [['+255754200001', 'Asha Juma'], ['+255754200002', 'Rehema Saidi'], ['+255754200003', 'Juma Hassan']] as const) {
        const screens = await register(wired.ussd, phone, name);
        expect(screens[0]).toMatch(/^CON Karibu/);
        expect(screens.at(-1)).toMatch(/^CON .*umesajiliwa/);
        expect(screens.every((s) => /^(CON|END) /.test(s))).toBe(true);
        expect(await wired.delegateOf(phone)).toMatchObject({ name });
      }
      // A registered caller is greeted as one: the caller's records are read back on the next dial.
      const back = handset(wired.ussd, '+255754200001');
      const home = await back.dial();
      expect(home).toMatch(/^CON /);
      expect(home).not.toMatch(/1\. Jisajili/);

      const phone = handset(wired.ussd, '+255754200009');
      await phone.dial();
      await phone.send('1');
      const namePrompt = await phone.send('Neema Mollel');
      expect(await phone.retry()).toBe(namePrompt);
      const offer = await phone.dial();
      expect(offer).toMatch(/1\. Endelea[\s\S]*2\. Anza upya/);
      expect(await phone.send('1')).toBe(namePrompt);
      // The resumed session ends with a registration, on a screen that is not offered for resume.
      await phone.send('Wizara ya Fedha');
      await phone.send('1');
      await phone.send('1');
      expect(await phone.send('1')).toMatch(/^CON .*umesajiliwa/);
      expect(await wired.delegateOf('+255754200009')).toMatchObject({ name: 'Neema Mollel' });
      expect(await handset(wired.ussd, '+255754200009').dial()).not.toMatch(/Endelea/);
    } finally {
      await wired.close();
    }
  }, 60_000);
});
