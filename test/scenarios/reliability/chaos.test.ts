/**
 * Seeded random faults (kill -9 of a worker or the API, Redis crash or pause, AT answering 5xx and
 * timing out) over a broadcast with USSD and inbound SMS traffic, invariants checked after each
 * fault and at the end. `npm run reliability -- --only chaos --seed N --faults N` runs it larger.
 */
import { chaosScenario } from './support/chaos';

describe('chaos run', () => {
  it('keeps the invariants through seeded random faults', async () => {
    const { facts, details } = await chaosScenario({ recipients: 600, seed: 18, faults: 4 });
    console.log(`[chaos] seed ${details.seed}: faults ${details.faults.map((f) => `${f.fault}@${f.atMs}ms`).join(', ')}; broadcast ${facts.total}: ${JSON.stringify(facts.counts)}, lost ${facts.total - Object.entries(facts.counts).filter(([state]) => !['queued', 'sending', 'cancelled'].includes(state)).reduce((n, [, c]) => n + c, 0)}, sent twice ${facts.sentTwice} (after an accepted call ${facts.resentAfterAcceptOrTimeout}), ${details.broadcastMs} ms; USSD ${JSON.stringify(details.ussd)}; inbound ${JSON.stringify(details.inbound)}`);
    expect(facts.violations).toEqual([]);
    expect(facts.resentAfterAcceptOrTimeout).toBe(0);
    expect(details.ussd.invalid).toBe(0);
    expect(details.inbound.replied).toBe(details.inbound.acknowledged);
    expect(details.inbound.repliedTwice).toBe(0);
  }, 240_000);
});
