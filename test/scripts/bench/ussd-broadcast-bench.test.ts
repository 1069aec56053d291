/**
 * The USSD-during-a-broadcast bench part at a tiny size, so it never rots: the JSON it prints has
 * every figure, of the right kind. Its latencies are not asserted (a shared machine decides them).
 */
import { parseGatewayEnv, ussdBroadcastPart } from '../../../scripts/bench/ussd-broadcast';

test('--gateway-env is NAME=value pairs, and anything else is refused', () => {
  expect(parseGatewayEnv('A=1, B=x=y')).toEqual({ A: '1', B: 'x=y' });
  expect(parseGatewayEnv(undefined)).toEqual({});
  expect(() => parseGatewayEnv('A')).toThrow(/NAME=value/);
});

test('a tiny run reports idle and during latencies, their ratios and the broadcast, every recipient sent', async () => {
  const report = await ussdBroadcastPart.run({ connections: 2, durationS: 1, warmupS: 0, flags: { recipients: '40', 'hop-rate': '10' }, log: () => undefined });
  const latency = { p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number), max: expect.any(Number), requests: expect.any(Number), requestsPerSecond: expect.any(Number), errors: 0, timeouts: 0, non2xx: 0, wrongScreens: 0 };
  expect(report).toEqual(expect.objectContaining({
    recipients: 40, hopRate: 10, gatewayEnv: {}, loadAverage: expect.any(Array),
    idle: latency, duringCreate: latency, duringSend: latency,
    ratios: { p99DuringToIdle: expect.any(Number), p99CreateToIdle: expect.any(Number), p99SendToIdle: expect.any(Number), p50SendToIdle: expect.any(Number) },
    broadcast: { createMs: expect.any(Number), totalMs: expect.any(Number), counts: expect.objectContaining({ sent: 40, queued: 0, sending: 0 }) },
    aim: { p99DuringToIdle: '<= 2', met: expect.any(Boolean) },
  }));
}, 20_000);
