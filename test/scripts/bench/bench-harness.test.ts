/**
 * The bench harness itself: flags, the register scenario, and the JSON shape of a one-second run
 * against the two baselines (the gateway is left out: `npm run bench` measures it for real).
 */
import { join } from 'node:path';
import { parseFlags } from '../../../scripts/bench';
import { hopBody, hopText, isExpected, poolPhone } from '../../../scripts/bench/ussd-scenario';
import { registerScreens, ussdPart } from '../../../scripts/bench/ussd';

describe('bench harness', () => {
  test('flags: --name value, --name=value and bare switches', () => {
    expect(parseFlags(['--only', 'ussd', '--duration=3', '--profile', '/tmp/p', '--x'])).toEqual({ only: 'ussd', duration: '3', profile: '/tmp/p', x: 'true' });
  });

  test('a register session is four AT-style form posts with one session id and a pool phone', () => {
    expect([0, 1, 2, 3].map((hop) => hopText(hop, 0))).toEqual(['', '1', '1*Asha Juma Mrisho', '1*Asha Juma Mrisho*Wizara ya Fedha']);
    const form = new URLSearchParams(hopBody('s-1', poolPhone(10_007, 10_000), 2, 0));
    expect(Object.fromEntries(form)).toEqual({ sessionId: 's-1', serviceCode: '*384*2015#', phoneNumber: '+255750000007', networkCode: '63902', text: '1*Asha Juma Mrisho' });
  });

  test('every phone of the largest pool is a valid Tanzanian mobile number of the same width', () => {
    // A pool of 200,000 once made numbers of 13 digits past its 100,000th session: every hop of them was a bad request.
    for (const index of [0, 99_999, 100_000, 199_999, 9_999_999, 10_000_123]) expect(poolPhone(index, 10_000_000)).toMatch(/^\+2557\d{8}$/);
    expect(poolPhone(250_000, 200_000)).toBe('+255750050000');
    expect(() => poolPhone(1, 10_000_001)).toThrow(RangeError);
  });

  test('expected screens come from the pack and a screen must be CON/END and start with them', () => {
    const screens = registerScreens(join(__dirname, '../../../flows'));
    expect(screens).toEqual(['CON Karibu ', 'CON Tafadhali andika jina lako kamili pamoja na cheo (mfano: Dkt. Asha Juma):', 'CON Tafadhali andika jina la taasisi yako:', 'CON Chagua aina ya taasisi yako:']);
    expect(isExpected('CON Karibu Mkutano', screens[0])).toBe(true);
    expect(isExpected('END Samahani', screens[0])).toBe(false);
    expect(isExpected('Karibu', '')).toBe(false);
  });

  test('a half-second run against the express baseline gives its figures, with no errors and no wrong screens', async () => {
    // Small (one target: the floor and ussd-builder are run by ussd-baselines.test.ts; two
    // connections for half a second; the load in this process): this file shares the machine.
    const report = await ussdPart.run({ connections: 2, durationS: 0.5, warmupS: 0, flags: { targets: 'express', load: 'in-process' }, log: () => undefined });
    const targets = report.targets as Record<string, { requestsPerSecond: number; latencyMs: Record<string, number>; errors: number; wrongScreens: number; sessions: number }>;
    expect(Object.keys(targets)).toEqual(['express']);
    for (const figures of Object.values(targets)) {
      expect(figures.requestsPerSecond).toBeGreaterThan(0);
      expect(figures.sessions).toBeGreaterThan(0);
      expect(Object.keys(figures.latencyMs).sort()).toEqual(['max', 'mean', 'p50', 'p90', 'p99']);
      expect({ errors: figures.errors, wrongScreens: figures.wrongScreens }).toEqual({ errors: 0, wrongScreens: 0 });
    }
    expect(report.ratios).toMatchObject({ throughputGatewayToExpress: null, p99GatewayMs: null, p99ExpressMs: expect.any(Number) });
    expect(report.aim).toMatchObject({ met: null });
  }, 15_000);
});
