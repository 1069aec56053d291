/**
 * The broadcast bench part at a tiny size, so it never rots: the JSON it prints has every figure,
 * of the right kind. Its figures are not asserted (they are measured, never promised by tests).
 */
import { broadcastPart, rawProviderDrain, startLoopbackProvider } from '../../../scripts/bench/broadcast';

test('the loopback provider answers as AT does, one id per recipient, and its raw drain is measured', async () => {
  const provider = await startLoopbackProvider();
  try {
    const response = await fetch(provider.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ to: '+255715000001,+255715000002', message: 'x' }).toString() });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { SMSMessageData: { Recipients: Array<{ number: string; messageId: string; statusCode: number }> } };
    expect(body.SMSMessageData.Recipients.map((r) => r.number)).toEqual(['+255715000001', '+255715000002']);
    expect(new Set(body.SMSMessageData.Recipients.map((r) => r.messageId)).size).toBe(2);
    expect(body.SMSMessageData.Recipients[0]?.messageId).toMatch(/^ATXid_[0-9a-f]{32}$/);
    const raw = await rawProviderDrain(provider.url, 10, 5, 2);
    expect(raw).toEqual({ calls: 10, batch: 5, concurrency: 2, ms: expect.any(Number), recipientsPerSecond: expect.any(Number) });
    expect(provider.calls.length).toBe(11);
  } finally {
    await provider.close();
  }
});

test('a 300-recipient run prints times, the ratio to the provider\'s raw rate, bytes per recipient and the worker\'s RSS', async () => {
  const report = await broadcastPart.run({ connections: 1, durationS: 1, warmupS: 0, flags: { recipients: '300', 'raw-calls': '10', concurrency: '2', commandstats: 'true' }, log: () => undefined });
  expect(report).toEqual(expect.objectContaining({
    recipients: 300, providerCalls: 4, // 225 sw in 3 calls of at most 100, 75 en in 1
    createMs: expect.any(Number), fanOutMs: expect.any(Number), sendMs: expect.any(Number), totalMs: expect.any(Number),
    recipientsPerSecond: { endToEnd: expect.any(Number), whileCalling: expect.any(Number) },
    providerRaw: expect.objectContaining({ calls: 10, batch: 100, recipientsPerSecond: expect.any(Number) }),
    ratios: { endToEndToProviderRaw: expect.any(Number) },
    redisMemory: { beforeBytes: expect.any(Number), perRecipientAfterFanOutBytes: expect.any(Number), perRecipientAfterSendBytes: expect.any(Number) },
    workerRss: { startMb: expect.any(Number), maxMb: expect.any(Number), endMb: expect.any(Number), samples: expect.any(Number) },
    statusRead: { reads: expect.any(Number), meanMs: expect.any(Number) },
    providerCallsMs: { first: expect.any(Number), last: expect.any(Number) },
    sentPerHalfSecond: expect.any(Array),
    cpuSeconds: { workerS: expect.any(Number), redisS: expect.any(Number), benchS: expect.any(Number) },
    redisNetBytesPerRecipient: { in: expect.any(Number), out: expect.any(Number) },
    redisCommandStats: expect.objectContaining({ evalsha: { calls: expect.any(Number), usec: expect.any(Number), usecPerCall: expect.any(Number) } }),
    redisScriptsOver10Us: expect.any(Object),
  }));
  // Unless --in-flight says otherwise, the worker runs the bulk lane as a default `npm start` does.
  expect(report.setup).toContain('bulk calls in flight 32 (SMS_MAX_IN_FLIGHT)');
  expect((report.sentPerHalfSecond as number[]).reduce((sum, n) => sum + n, 0)).toBe(300);
  expect(report.counts).toMatchObject({ sent: 300, queued: 0, sending: 0 });
}, 60_000);

test('--in-flight must be a whole number of calls; 0 runs the bulk lane at --concurrency', async () => {
  const run = (inFlight: string) => broadcastPart.run({ connections: 1, durationS: 1, warmupS: 0, flags: { recipients: '100', 'raw-calls': '2', concurrency: '2', 'in-flight': inFlight }, log: () => undefined });
  await expect(run('-1')).rejects.toThrow('--in-flight must be a whole number >= 0');
  await expect(run('lots')).rejects.toThrow('--in-flight must be a whole number >= 0');
  const report = await run('0');
  expect(report.setup).toContain('bulk calls in flight 2 (SMS_MAX_IN_FLIGHT=0: SMS_WORKER_CONCURRENCY)');
  expect(report.counts).toMatchObject({ sent: 100, queued: 0, sending: 0 });
}, 60_000);
