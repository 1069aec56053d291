/**
 * Africa's Talking fails for a while (HTTP 500, then statusCode 500 per recipient, then answers
 * slower than AT_TIMEOUT_MS) and recovers: the rate holds, nothing is lost, and recipients of
 * calls that timed out end `uncertain` and are never sent again.
 */
import { providerFailure } from './support/scenarios';

describe('provider failing for a while', () => {
  it('retries what AT refused, never re-sends what timed out, and keeps to the rate', async () => {
    const result = await providerFailure({ recipients: 2000, rate: 500 });
    expect(result.facts.violations).toEqual([]);
    const details = result.details as { recipientsByMode: Record<string, number>; timedOutRecipients: number; bulkShare: number; busiestSecondCeiling: number };
    // Every phase happened.
    expect(Object.keys(details.recipientsByMode).sort()).toEqual(['http500', 'ok', 'status500', 'timeout']);
    const { counts } = result.facts;
    expect(counts).toMatchObject({ queued: 0, sending: 0, failed: 0 });
    // Timed-out calls: exactly their recipients are uncertain, and none of them was sent again.
    expect(counts.uncertain).toBe(details.timedOutRecipients);
    expect(counts.sent).toBe(2000 - details.timedOutRecipients);
    expect(result.facts.resentAfterAcceptOrTimeout).toBe(0);
    // Busiest second at AT: the rate (500/s; no reply asks, so the broadcast may use all of it)
    // plus the calls that were reserved in the second before and still on their way (2 jobs x 20).
    expect(details.busiestSecondCeiling).toBe(540);
    expect(result.facts.busiestSecond).toBeLessThanOrEqual(details.busiestSecondCeiling);
  }, 120_000);
});
