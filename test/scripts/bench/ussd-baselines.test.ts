/**
 * The USSD part's baselines at a tiny size, so they never rot: the node:http + ioredis floor and
 * the npm package ussd-builder serving the pack's register menu each give figures and the ratio
 * fields, with no errors and no wrong screens (ussd-builder's screens are checked against the
 * pack's, as the gateway's are). Figures are never asserted: `npm run bench` measures them.
 */
import { ussdPart } from '../../../scripts/bench/ussd';

test('a one-second run against the floor and ussd-builder gives hops/s, p99 and the ratio fields', async () => {
  const report = await ussdPart.run({ connections: 2, durationS: 1, warmupS: 0, flags: { targets: 'node-http,ussd-builder', load: 'in-process' }, log: () => undefined });
  const targets = report.targets as Record<string, { requestsPerSecond: number; latencyMs: Record<string, number>; errors: number; wrongScreens: number; sessions: number; redisCommandsPerHop: { total: number; byCommand: Record<string, number> }; cpuUsPerHop: Record<string, number | null> }>;
  expect(Object.keys(targets).sort()).toEqual(['node-http', 'ussd-builder']);
  for (const figures of Object.values(targets)) {
    expect(figures.requestsPerSecond).toEqual(expect.any(Number));
    expect(figures.sessions).toBeGreaterThan(0);
    expect(Object.keys(figures.latencyMs).sort()).toEqual(['max', 'mean', 'p50', 'p90', 'p99']);
    expect({ errors: figures.errors, wrongScreens: figures.wrongScreens }).toEqual({ errors: 0, wrongScreens: 0 });
    // One GET and one SET per request (a request still in flight when the round ends may add a little).
    expect(figures.redisCommandsPerHop.byCommand).toMatchObject({ get: expect.any(Number), set: expect.any(Number) });
    expect(figures.redisCommandsPerHop.total).toBeGreaterThanOrEqual(2);
    expect(figures.redisCommandsPerHop.total).toBeLessThan(2.5);
    expect(Object.keys(figures.cpuUsPerHop).sort()).toEqual(['redis', 'target']);
  }
  expect(report.ratios).toMatchObject({
    throughputGatewayToNodeHttp: null, throughputGatewayToUssdBuilder: null, p99GatewayToNodeHttp: null, p99GatewayToUssdBuilder: null,
    p99NodeHttpMs: expect.any(Number), p99UssdBuilderMs: expect.any(Number),
  });
}, 30_000);
