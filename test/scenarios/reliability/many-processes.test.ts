/**
 * Three compiled API and three compiled worker processes on one Redis: one global send rate (no
 * sliding second at AT carries more than SMS_RATE_PER_SECOND plus the calls a paused process can
 * let land a second late),
 * each inbound SMS (posted to two APIs) is answered once, one phone's messages over every API stay
 * within the shared per-phone cap, and each subscriber gets one change notice.
 */
import { manyProcesses } from './support/many-processes';

describe('many API and worker processes on one Redis', () => {
  it('holds the rate, the caps and exactly-once replies and notices', async () => {
    const { facts, details } = await manyProcesses({ recipients: 400 });
    console.log(`[many processes] ${details.apis} API + ${details.workers} workers: broadcast ${facts.total} -> ${JSON.stringify(facts.counts)} in ${details.broadcastMs} ms by ${details.workersThatSent} workers; busiest second ${details.busiestSecond} (rate ${details.rate}, ceiling ${details.busiestSecondCeiling}); ${details.inboundMessages} inbound SMS posted ${details.inboundPosts} times -> replies per message ${JSON.stringify(details.repliesPerMessage)}; cap phone sent ${details.capPhone.sent}, replies ${details.capPhone.replies} (cap ${details.capPhone.cap}); ${details.reminderSubscribers} subscribers -> notices each ${JSON.stringify(details.noticesPerSubscriber)}`);
    expect(facts.violations).toEqual([]);
    expect(details.repliesPerMessage).toEqual({ 1: details.inboundMessages });
    expect(details.noticesPerSubscriber).toEqual({ 1: details.reminderSubscribers });
    // The cap's replies, then one notice that the cap is reached.
    expect(details.capPhone.replies).toBe(details.capPhone.cap + 1);
    expect(details.busiestSecond).toBeLessThanOrEqual(details.busiestSecondCeiling);
    // The rate, plus the calls in flight (2 per worker, one batch each) that a paused process can let land a second late.
    expect(details.busiestSecondCeiling).toBe(details.rate + details.workers * 2 * details.batch);
  }, 180_000);
});
