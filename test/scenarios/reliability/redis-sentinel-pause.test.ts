/**
 * Sentinel failover with the master paused (SIGSTOP), not killed: its connections stay open, so
 * only the sentinels' +switch-master tells the gateway to move (before that was followed, every
 * command timed out until the old master woke and workers never called AT again).
 */
import { sentinelScenario } from './support/sentinel-scenario';

describe('Redis Sentinel failover, master paused', () => {
  it('moves to the new master and resumes the broadcast while USSD keeps answering', async () => {
    const { facts, details } = await sentinelScenario({ recipients: 1000, how: 'pause' });
    console.log(`[sentinel pause] master ${details.masterBefore} paused -> ${details.masterAfter} after ${details.failoverMs} ms; first AT call ${details.resumeMs} ms after the pause; USSD during the fault ${JSON.stringify(details.ussd)}; broadcast ${facts.total}: ${JSON.stringify(facts.counts)}, sent twice ${facts.sentTwice} (after an accepted call ${facts.resentAfterAcceptOrTimeout}), ${details.broadcastMs} ms`);
    expect(facts.violations).toEqual([]);
    expect(details.masterAfter).not.toBe(details.masterBefore);
    expect(details.resumeMs).toBeLessThanOrEqual(30_000);
    expect(details.ussd.over2s).toBe(0);
  }, 240_000);
});
