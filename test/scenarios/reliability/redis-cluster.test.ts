/**
 * The compiled gateway (API + 2 workers) on a 3-master Redis Cluster: USSD registration, SMS
 * keywords, a change notice and a 1,000-recipient broadcast with a worker killed mid-way; 0 lost,
 * second calls only for `uncertain`, no CROSSSLOT (`npm run reliability -- --only cluster` runs
 * 10,000 recipients).
 */
import { clusterScenario } from './support/cluster-scenario';

describe('Redis Cluster', () => {
  it('runs USSD, SMS keywords, a change notice and a broadcast through a worker kill with no CROSSSLOT', async () => {
    const result = await clusterScenario({ recipients: 1000 });
    const { facts, details } = result;
    console.log(`[cluster] ${details.masters} masters, ${facts.total} recipients: ${JSON.stringify(facts.counts)}; lost ${facts.total - (facts.counts.sent + facts.counts.delivered + facts.counts.failed + facts.counts.skipped + facts.counts.uncertain)}, sent twice ${facts.sentTwice} (after an accepted call: ${facts.resentAfterAcceptOrTimeout}), uncertain ${facts.counts.uncertain}, busiest second ${facts.busiestSecond} (limit ${details.rate}), CROSSSLOT ${details.crossSlotErrors}, worker killed ${details.killedAfterFirstCallMs} ms after its first call, broadcast ${details.broadcastMs} ms; replies ${JSON.stringify(details.keywordReplies)}, change notices ${details.changeNotices}`);
    expect(facts.violations).toEqual([]);
    expect(details.crossSlotErrors).toBe(0);
    expect(facts.counts.queued + facts.counts.sending).toBe(0);
    expect(facts.counts.sent + facts.counts.uncertain).toBe(1000);
    expect(facts.resentAfterAcceptOrTimeout).toBe(0);
  }, 240_000);
});
