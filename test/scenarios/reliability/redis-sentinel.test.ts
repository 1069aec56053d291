/**
 * Sentinel failover mid-broadcast against the compiled gateway (API + 2 workers, 1 master,
 * 1 replica, 3 sentinels): the master is killed; USSD answers CON/END within 2 s all along,
 * workers call AT again within 30 s with no manual step, nobody is lost.
 */
import { sentinelScenario } from './support/sentinel-scenario';

describe('Redis Sentinel failover', () => {
  it('keeps USSD answering and resumes the broadcast after the master is killed', async () => {
    const { facts, details } = await sentinelScenario({ recipients: 1000, how: 'kill' });
    console.log(`[sentinel] master ${details.masterBefore} killed -> ${details.masterAfter} after ${details.failoverMs} ms; first AT call ${details.resumeMs} ms after the kill; USSD during the fault ${JSON.stringify(details.ussd)}; broadcast ${facts.total}: ${JSON.stringify(facts.counts)}, sent twice ${facts.sentTwice} (after an accepted call ${facts.resentAfterAcceptOrTimeout}), ${details.broadcastMs} ms`);
    expect(facts.violations).toEqual([]);
    expect(details.masterAfter).not.toBe(details.masterBefore);
    expect(details.resumeMs).toBeLessThanOrEqual(30_000);
    expect(details.ussd.over2s).toBe(0);
  }, 240_000);
});
