/**
 * The adapter's own HTTP agent against a real loopback server: bounded sockets, reused, and freed
 * when a call is given up. nock (active in every test file) would answer these requests through its
 * own interceptor and bypass the agent, so it is switched off for this file.
 */
import http from 'node:http';
import type net from 'node:net';
import nock from 'nock';
import { createAfricasTalkingProvider, type AfricasTalkingProviderOptions } from '../../../src/providers/africastalking/at-sms-provider';

beforeAll(() => nock.restore());

function provider(overrides: Partial<AfricasTalkingProviderOptions> = {}) {
  return createAfricasTalkingProvider({ username: 'kiungo', apiKey: 'test-key', senderId: 'EGOV', timeoutMs: 2_000, enqueue: true, ...overrides });
}

const success = (number: string) => ({ statusCode: 101, number, status: 'Success', cost: 'TZS 22.0000', messageId: `ATXid_${number.slice(-4)}` });
const answer = (recipients: unknown[]) => ({ SMSMessageData: { Message: 'Sent', Recipients: recipients } });
const bulk = (to: string[]) => ({ to, message: 'Habari', bulk: true });

/** The SDK's (module-level) bulk SMS endpoint, pointed at `url` for the duration of `call`. */
async function withSmsEndpoint<T>(url: string, call: () => Promise<T>): Promise<T> {
  const endpoints = jest.requireActual<{ SMS_URL: string }>('africastalking/lib/common');
  const live = endpoints.SMS_URL;
  endpoints.SMS_URL = url;
  try {
    return await call();
  } finally {
    endpoints.SMS_URL = live;
  }
}

/** A loopback AT that answers every call after `latencyMs`, counting calls in flight and sockets. */
async function slowAt(latencyMs: number): Promise<{ url: string; figures: () => { calls: number; maxInFlight: number; maxSockets: number; opened: number; open: number }; close: () => Promise<void> }> {
  let calls = 0, inFlight = 0, maxInFlight = 0, open = 0, maxSockets = 0, opened = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      calls += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const to = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('to') ?? '';
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer(to.split(',').map((number) => success(number)))));
      }, latencyMs);
    });
  });
  server.on('connection', (socket) => {
    open += 1;
    opened += 1;
    maxSockets = Math.max(maxSockets, open);
    socket.on('close', () => { open -= 1; });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/version1/messaging`,
    figures: () => ({ calls, maxInFlight, maxSockets, opened, open }),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('Africa\'s Talking adapter: its HTTP agent', () => {
  it('keeps at most maxSockets sockets open, reuses them, and queues calls beyond them', async () => {
    const server = await slowAt(50);
    try {
      const at = provider({ maxSockets: 2 });
      const numbers = Array.from({ length: 6 }, (_, i) => `+25571234567${i}`);
      const outcomes = await withSmsEndpoint(server.url, () => Promise.all(numbers.map((n) => at.send(bulk([n])))));
      expect(outcomes.map((o) => o.kind === 'per_recipient' && o.recipients[0]?.result)).toEqual(numbers.map(() => 'accepted'));
      await withSmsEndpoint(server.url, () => at.send(bulk(['+255712345670'])));
      expect(server.figures()).toMatchObject({ calls: 7, maxInFlight: 2, maxSockets: 2, opened: 2 });
    } finally {
      await server.close();
    }
  });

  it('closes the connection of a call it gave up on, so its socket is not held', async () => {
    const server = await slowAt(1_000);
    try {
      const outcome = await withSmsEndpoint(server.url, () => provider({ timeoutMs: 100, maxSockets: 1 }).send(bulk(['+255712345678'])));
      expect(outcome).toEqual({ kind: 'uncertain', reason: 'Timeout after 100 ms' });
      for (let i = 0; i < 50 && server.figures().open > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(server.figures()).toMatchObject({ calls: 1, open: 0 });
    } finally {
      await server.close();
    }
  });

});
