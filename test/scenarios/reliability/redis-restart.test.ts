/**
 * The redis-server (append-only) dies mid-broadcast and comes back on the same port and
 * directory: the worker process reconnects by itself and the broadcast finishes, nobody sent twice.
 */
import { redisRestart } from './support/scenarios';

// Small here: `npm run reliability` runs the same scenario at 10,000 recipients.
const RECIPIENTS = 1000;

describe('Redis restarted mid-broadcast', () => {
  it('finishes after a crash (SIGKILL) of the redis-server with no manual action', async () => {
    const result = await redisRestart({ recipients: RECIPIENTS, how: 'crash' });
    expect(result.facts.violations).toEqual([]);
    expect(result.details.workerSurvived).toBe(true);
    const { counts } = result.facts;
    expect(counts.queued + counts.sending).toBe(0);
    expect(counts.sent + counts.uncertain).toBe(RECIPIENTS);
    // Calls in flight during the outage may not get their answer recorded: 2 jobs x 100 at most.
    expect(counts.uncertain).toBeLessThanOrEqual(200);
    expect(result.facts.sentTwice).toBe(0);
  }, 120_000);
});
