/**
 * The personalised bench part at a tiny size, so it never rots: the JSON it prints has every
 * figure, of the right kind. Its figures are not asserted (the shared machine makes them noisy).
 */
import nock from 'nock';
import { personalPart, steadyRate } from '../../../scripts/bench/personal';

// The part measures its own loopback HTTP calls: nock's interceptor would stand between them.
beforeAll(() => nock.restore());

test('the steady rate counts the middle 80% of the answers', () => {
  expect(steadyRate(Array.from({ length: 101 }, (_, i) => i * 10))).toBe(100);
  expect(steadyRate([1, 2, 3])).toBe(0);
});

test('twenty recipients at a 20 ms provider give every figure, as ratios to the rate', async () => {
  const report = await personalPart.run({ connections: 1, durationS: 1, warmupS: 0, flags: { recipients: '20', latency: '20', rate: '500', 'in-flight': '8', 'overhead-calls': '20' }, log: () => undefined });
  const rates = { recipientsPerSecond: { atProvider: expect.any(Number), endToEnd: expect.any(Number), busiestSecond: expect.any(Number), busiestSecondWarm: expect.any(Number), eachSecond: expect.any(Array) }, ratios: { atProviderToRate: expect.any(Number), atProviderToBulkShare: expect.any(Number), endToEndToRate: expect.any(Number), busiestSecondToBulkShare: expect.any(Number), busiestSecondWarmToBulkShare: expect.any(Number) } };
  const provider = { maxCallsInFlight: expect.any(Number), maxOpenSockets: expect.any(Number), socketsOpened: expect.any(Number), maxLoopLagMs: expect.any(Number) };
  expect(report).toEqual({
    setup: expect.any(String), recipients: 20, rate: 500, bulkShare: 400, latencyMs: 20,
    queued: { sendMs: expect.any(Number), providerCalls: 20, ...rates, provider, workerRssPeakBytes: expect.any(Number), cpu: { workerMsPerRecipient: expect.any(Number), redisMsPerRecipient: expect.any(Number) } },
    broadcast: { counts: expect.objectContaining({ sent: 20, queued: 0, sending: 0 }), sendMs: expect.any(Number), providerCalls: 20, ...rates, provider },
    workerRssBytes: { peak: expect.any(Number) },
    wrapperOverhead: expect.objectContaining({ calls: 20, rawWallUsPerCall: expect.any(Number), wrapperWallUsPerCall: expect.any(Number), overheadCpuUsPerCall: expect.any(Number), wrapperToRawCpu: expect.any(Number) }),
    aim: { queuedAtProviderToRate: '>= 0.8', bulkLaneCeilingToRate: 0.974, met: expect.any(Boolean) },
  });
  // Bounded by the worker's calls in flight (8 broadcast calls plus the replies' lane).
  expect((report.queued as { provider: { maxOpenSockets: number } }).provider.maxOpenSockets).toBeLessThanOrEqual(8 + 4);
}, 40_000);
