/**
 * SIGTERM to a worker process mid-broadcast: it finishes the calls it started and exits 0 within
 * SHUTDOWN_GRACE_MS, leaving nothing `sending`; a new worker sends the rest, nobody twice.
 */
import { sigterm } from './support/scenarios';

// Small here: `npm run reliability` runs the same scenario at 10,000 recipients.
const RECIPIENTS = 1000;

describe('worker stopped with SIGTERM', () => {
  it('exits cleanly within the grace time and a restarted worker sends the rest', async () => {
    const result = await sigterm({ recipients: RECIPIENTS, graceMs: 8000 });
    expect(result.facts.violations).toEqual([]);
    const exit = result.details.exit as { code: number | null; afterSignalMs: number };
    expect(exit.code).toBe(0);
    expect(exit.afterSignalMs).toBeLessThan(8000);
    const atStop = result.details.countsAtStop as Record<string, number>;
    expect(atStop.sending).toBe(0);
    expect(atStop.uncertain).toBe(0);
    expect(atStop.queued).toBeGreaterThan(0);
    expect(result.facts.counts).toMatchObject({ queued: 0, sending: 0, sent: RECIPIENTS, uncertain: 0, failed: 0 });
    expect(result.facts.sentTwice).toBe(0);
  }, 120_000);
});
