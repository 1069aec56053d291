/**
 * The pacing bench part at a tiny size, so it never rots: the JSON it prints has every figure, of
 * the right kind. Its figures are not asserted (the pacing promise is test/sms/outbound/pacing.test.ts).
 */
import { pacingPart } from '../../../scripts/bench/pacing';

test('a two-second run at rate 10 prints the busiest second and the minutes, as ratios to the rate', async () => {
  const report = await pacingPart.run({ connections: 1, durationS: 1, warmupS: 0, flags: { rate: '10', seconds: '2', modules: '2' }, log: () => undefined });
  expect(report).toEqual(expect.objectContaining({
    rate: 10, bulkShare: 8, seconds: 2, modules: 2, workersPerLane: 4, guardMs: expect.any(Number),
    calls: expect.any(Number), sent: expect.any(Number),
    busiestSecond: expect.any(Number), busiestSecondToRate: expect.any(Number),
    busiestBulkSecond: expect.any(Number), busiestBulkSecondToBulkShare: expect.any(Number),
    averageToRate: expect.any(Number), broadcastAlone: null, minutes: [],
    aim: { busiestSecondToRate: '<= 1', minuteAverageToRate: '>= 0.95', met: expect.any(Boolean) },
  }));
  expect(report.sent).toBeGreaterThan(0);
}, 30_000);
