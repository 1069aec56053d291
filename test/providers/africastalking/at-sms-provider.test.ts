import net from 'node:net';
import nock from 'nock';
import { freePort } from '../../../src/infra/redis/private-redis';
import { createAfricasTalkingProvider, type AfricasTalkingProviderOptions } from '../../../src/providers/africastalking/at-sms-provider';

const AT_HOST = 'https://api.africastalking.com';
const API_KEY = 'test-key';

function provider(overrides: Partial<AfricasTalkingProviderOptions> = {}) {
  return createAfricasTalkingProvider({ username: 'kiungo', apiKey: API_KEY, senderId: 'EGOV', timeoutMs: 2_000, enqueue: true, ...overrides });
}

/** The exact form body the SDK must send; nock compares every field (values are strings). */
function form(to: string[], extra: Record<string, string> = {}) {
  return { username: 'kiungo', to: to.join(','), message: 'Habari', from: 'EGOV', bulkSMSMode: '1', enqueue: '1', ...extra };
}

function atMessaging(body: Record<string, string> | ((body: unknown) => boolean)) {
  return nock(AT_HOST)
    .post('/version1/messaging', body)
    .matchHeader('apikey', API_KEY)
    .matchHeader('accept', 'application/json')
    .matchHeader('content-type', /application\/x-www-form-urlencoded/);
}

const success = (number: string, extra: Record<string, unknown> = {}) => ({
  statusCode: 101, number, status: 'Success', cost: 'TZS 22.0000', messageId: `ATXid_${number.slice(-4)}`, ...extra,
});
const failure = (number: string, statusCode: number, status: string) => ({ statusCode, number, status, cost: '0', messageId: 'None' });
const answer = (recipients: unknown[], message = 'Sent') => ({ SMSMessageData: { Message: message, Recipients: recipients } });

/*
 * Network failures are real ones on loopback, not nock's replyWithError. replyWithError destroys
 * the interceptor's mock socket with the error, which emits it itself and then again from the
 * stream's own destroy; axios (1.18) also destroys the request from its own socket 'error'
 * listener. Whether a listener is still attached when the later copy arrives depends on timing,
 * so a test could end in an unhandled 'error' event. A refused port or a reset connection fails
 * once, the way it does in production.
 */

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

/** A server that reads the request and then resets the connection, as a dropped link does. */
async function resettingServer(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = net.createServer((socket) => {
    socket.once('data', () => {
      requests += 1;
      socket.resetAndDestroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/version1/messaging`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const bulk = (to: string[]) => ({ to, message: 'Habari', bulk: true });

describe('Africa\'s Talking SMS provider', () => {
  it('sends a batch with the exact form body and headers, and reads every recipient as accepted', async () => {
    const to = ['+255712345678', '+255621234567'];
    const scope = atMessaging(form(to)).reply(201, answer([success(to[0]!, { messageParts: 2, cost: 'TZS 44.0000', statusCode: 100 }), success(to[1]!, { statusCode: 102 })]));
    const outcome = await provider().send(bulk(to));
    expect(scope.isDone()).toBe(true);
    expect(outcome).toEqual({
      kind: 'per_recipient',
      recipients: [
        { number: to[0], result: 'accepted', providerMessageId: 'ATXid_5678', cost: { currency: 'TZS', amount: 44 }, parts: 2, statusCode: 100 },
        { number: to[1], result: 'accepted', providerMessageId: 'ATXid_4567', cost: { currency: 'TZS', amount: 22 }, statusCode: 102 },
      ],
    });
  });

  it('normalises numbers before sending and reports them under the caller\'s spelling', async () => {
    const scope = atMessaging(form(['+255712345678'])).reply(201, answer([success('+255712345678')]));
    const outcome = await provider().send(bulk(['0712 345 678']));
    expect(scope.isDone()).toBe(true);
    expect(outcome).toMatchObject({ kind: 'per_recipient', recipients: [{ number: '0712 345 678', result: 'accepted' }] });
  });

  it('sends replies without enqueue and uses the message\'s own sender id', async () => {
    const body = { username: 'kiungo', to: '+255712345678', message: 'Habari', from: '15001', bulkSMSMode: '1' };
    const scope = atMessaging(body).reply(201, answer([success('+255712345678')]));
    await provider().send({ to: ['+255712345678'], message: 'Habari', from: '15001', bulk: false });
    expect(scope.isDone()).toBe(true);
  });

  it('maps mixed per-recipient results: success, invalid, blacklist, balance, gateway 5xx', async () => {
    const to = ['+255712345678', '+255621234567', '+255754000111', '+255784000222', '+255654000333'];
    atMessaging(form(to)).reply(201, answer([
      success(to[0]!),
      failure(to[1]!, 403, 'InvalidPhoneNumber'),
      failure(to[2]!, 406, 'UserInBlacklist'),
      failure(to[3]!, 405, 'InsufficientBalance'),
      failure(to[4]!, 501, 'GatewayError'),
    ]));
    const outcome = await provider().send(bulk(to));
    expect(outcome).toEqual({
      kind: 'per_recipient',
      recipients: [
        { number: to[0], result: 'accepted', providerMessageId: 'ATXid_5678', cost: { currency: 'TZS', amount: 22 }, statusCode: 101 },
        { number: to[1], result: 'failed_permanent', reason: 'InvalidPhoneNumber', statusCode: 403 },
        { number: to[2], result: 'failed_permanent', reason: 'UserInBlacklist', statusCode: 406, blacklisted: true },
        { number: to[3], result: 'failed_permanent', reason: 'InsufficientBalance', statusCode: 405 },
        { number: to[4], result: 'failed_retryable', reason: 'GatewayError', statusCode: 501 },
      ],
    });
  });

  it('never sends invalid or duplicate numbers, and marks them failed_permanent', async () => {
    const scope = atMessaging(form(['+255712345678'])).reply(201, answer([success('+255712345678')]));
    const outcome = await provider().send(bulk(['+25571234567', '+255712345678', '0712345678', '+255222123456']));
    expect(scope.isDone()).toBe(true);
    expect(outcome).toEqual({
      kind: 'per_recipient',
      recipients: [
        { number: '+25571234567', result: 'failed_permanent', reason: 'InvalidPhoneNumber' },
        expect.objectContaining({ number: '+255712345678', result: 'accepted' }),
        { number: '0712345678', result: 'failed_permanent', reason: 'DuplicateRecipient' },
        { number: '+255222123456', result: 'failed_permanent', reason: 'InvalidPhoneNumber' },
      ],
    });
  });

  it('makes no call at all when every number is invalid', async () => {
    const unmatched = jest.fn();
    nock.emitter.on('no match', unmatched);
    const outcome = await provider().send(bulk(['+25571234567', 'hello']));
    expect(outcome).toEqual({
      kind: 'per_recipient',
      recipients: [
        { number: '+25571234567', result: 'failed_permanent', reason: 'InvalidPhoneNumber' },
        { number: 'hello', result: 'failed_permanent', reason: 'InvalidPhoneNumber' },
      ],
    });
    nock.emitter.removeListener('no match', unmatched);
    expect(unmatched).not.toHaveBeenCalled();
  });

  it('reports a number missing from AT\'s answer as uncertain', async () => {
    const to = ['+255712345678', '+255621234567'];
    atMessaging(form(to)).reply(201, answer([success(to[0]!)]));
    const outcome = await provider().send(bulk(to));
    expect(outcome).toMatchObject({ kind: 'per_recipient', recipients: [{ result: 'accepted' }, { number: to[1], result: 'uncertain', reason: 'MissingFromProviderResponse' }] });
  });

  it('rejects the whole call on empty Recipients (InvalidSenderId)', async () => {
    atMessaging(form(['+255712345678'])).reply(201, answer([], 'InvalidSenderId'));
    expect(await provider().send(bulk(['+255712345678']))).toEqual({ kind: 'rejected', reason: 'InvalidSenderId', retryable: false });
  });

  it('reads a 200 answer like a 201 (the SDK rejects it with the body)', async () => {
    atMessaging(form(['+255712345678'])).reply(200, answer([success('+255712345678')]));
    expect(await provider().send(bulk(['+255712345678']))).toMatchObject({ kind: 'per_recipient', recipients: [{ result: 'accepted', providerMessageId: 'ATXid_5678' }] });
  });

  it('treats an unreadable 2xx body as uncertain', async () => {
    atMessaging(form(['+255712345678'])).reply(200, 'OK', { 'Content-Type': 'text/plain' });
    expect(await provider().send(bulk(['+255712345678']))).toEqual({ kind: 'uncertain', reason: 'UnreadableResponse' });
  });

  it('rejects on HTTP 401 (bad API key), not retryable', async () => {
    atMessaging(form(['+255712345678'])).reply(401, 'The supplied authentication is invalid', { 'Content-Type': 'text/plain; charset=UTF-8' });
    expect(await provider().send(bulk(['+255712345678']))).toEqual({ kind: 'rejected', reason: 'Unauthorized (HTTP 401)', retryable: false });
  });

  it('rejects on HTTP 500, retryable', async () => {
    atMessaging(form(['+255712345678'])).reply(500, 'oops');
    expect(await provider().send(bulk(['+255712345678']))).toEqual({ kind: 'rejected', reason: 'HTTP 500', retryable: true });
  });

  it('rejects as retryable when the connection is refused (nothing was sent)', async () => {
    const closedPort = await freePort();
    const outcome = await withSmsEndpoint(`http://127.0.0.1:${closedPort}/version1/messaging`, () => provider().send(bulk(['+255712345678'])));
    expect(outcome).toEqual({ kind: 'rejected', reason: 'NetworkError ECONNREFUSED', retryable: true });
  });

  it('is uncertain when the connection drops mid-call', async () => {
    const server = await resettingServer();
    try {
      const outcome = await withSmsEndpoint(server.url, () => provider().send(bulk(['+255712345678'])));
      expect(server.requests()).toBe(1);
      expect(outcome).toEqual({ kind: 'uncertain', reason: 'NetworkError ECONNRESET' });
    } finally {
      await server.close();
    }
  });

  it('gives up after timeoutMs and reports uncertain', async () => {
    atMessaging(form(['+255712345678'])).delay(1_000).reply(201, answer([success('+255712345678')]));
    const started = Date.now();
    const outcome = await provider({ timeoutMs: 100 }).send(bulk(['+255712345678']));
    expect(outcome).toEqual({ kind: 'uncertain', reason: 'Timeout after 100 ms' });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('honours an abort signal: before the call rejected (retryable), during it uncertain', async () => {
    expect(await provider().send(bulk(['+255712345678']), AbortSignal.abort())).toEqual({ kind: 'rejected', reason: 'Aborted before the call', retryable: true });
    atMessaging(form(['+255712345678'])).delay(1_000).reply(201, answer([success('+255712345678')]));
    expect(await provider().send(bulk(['+255712345678']), AbortSignal.timeout(50))).toEqual({ kind: 'uncertain', reason: 'Aborted during the call' });
  });

  it('sends in batches and stops after a batch fails as a whole', async () => {
    const to = ['+255712345678', '+255621234567', '+255754000111', '+255784000222', '+255654000333'];
    const first = atMessaging(form(to.slice(0, 2))).reply(201, answer([success(to[0]!), success(to[1]!)]));
    const second = atMessaging(form(to.slice(2, 4))).reply(503, 'busy');
    const outcome = await provider({ batchSize: 2 }).send(bulk(to));
    expect(first.isDone() && second.isDone()).toBe(true);
    expect(outcome).toMatchObject({
      kind: 'per_recipient',
      recipients: [
        { result: 'accepted' },
        { result: 'accepted' },
        { number: to[2], result: 'failed_retryable', reason: 'HTTP 503' },
        { number: to[3], result: 'failed_retryable', reason: 'HTTP 503' },
        { number: to[4], result: 'failed_retryable', reason: 'NotAttempted' },
      ],
    });
  });

  it('rejects an empty message without calling AT', async () => {
    expect(await provider().send({ to: ['+255712345678'], message: '  ', bulk: true })).toEqual({ kind: 'rejected', reason: 'EmptyMessage', retryable: false });
  });

  it('refuses bad options, all at once', () => {
    expect(() => provider({ apiKey: '', timeoutMs: 0, batchSize: 0 })).toThrow(/apiKey is empty; timeoutMs must be > 0; batchSize must be a positive integer/);
    expect(() => provider({ maxSockets: 0 })).toThrow(/maxSockets must be a positive integer/);
  });
});
