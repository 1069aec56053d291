/**
 * Firing a rating request: who is asked (subscribers, the cohort, nobody), who is not (already
 * rated, opted out), and when nothing goes (the session moved, was cancelled, or the request is
 * more than two hours late). Stand-in stores; the real pipeline is in the gateway scenario.
 */
import { join } from 'node:path';
import type { Delegate } from '../../src/event/delegates';
import type { EventData } from '../../src/event/event-schema';
import { DEFAULT_FEEDBACK_SETTINGS, type FeedbackSettings, type FeedbackStore } from '../../src/feedback/feedback';
import { createFeedbackProcessor, FEEDBACK_LATE_LIMIT_MS, type FeedbackWorkerDeps } from '../../src/feedback/feedback-requests.bullmq';
import { fixedClock } from '../../src/kernel/clock';
import { loadPacks } from '../../src/packs/load';
import type { OutboundRequest } from '../../src/sms/outbound/outbound-port';

const pack = (() => {
  const found = loadPacks(join(__dirname, '../../flows')).packs.find((p) => p.id === 'egov2015');
  if (!found) throw new Error('no sample pack');
  return found;
})();
const END = '2015-08-17T12:30:00.000Z'; // S105 ends 15:30 in Arusha
const people: Delegate[] = [
  { phone: '+255713900001', name: 'A', institution: 'I', institutionType: 'central', cohort: '1', code: 'AAAAA', language: 'sw', channel: 'api', registeredAt: END },
  { phone: '+255713900002', name: 'B', institution: 'I', institutionType: 'central', cohort: '1', code: 'CCCCC', language: 'en', channel: 'api', registeredAt: END },
  { phone: '+255713900003', name: 'C', institution: 'I', institutionType: 'central', cohort: '2', code: 'DDDDD', language: 'sw', channel: 'api', registeredAt: END },
];

function setup(options: { settings?: FeedbackSettings; rated?: string[]; optedOut?: string[]; event?: EventData; now?: string } = {}) {
  const sent: OutboundRequest[] = [];
  const requested: string[] = [];
  const feedback = {
    settings: async () => options.settings ?? DEFAULT_FEEDBACK_SETTINGS,
    hasRated: async (_pack: string, phone: string) => (options.rated ?? []).includes(phone),
    markRequested: async (_pack: string, phone: string) => { requested.push(phone); },
  } as unknown as FeedbackStore;
  const deps: FeedbackWorkerDeps = {
    packs: [pack], feedback, defaultLanguage: 'sw', clock: fixedClock(options.now ?? END),
    agenda: { get: async () => options.event ?? pack.event } as unknown as FeedbackWorkerDeps['agenda'],
    reminders: { subscribers: async () => ['+255713900001', '+255713900002'] } as unknown as FeedbackWorkerDeps['reminders'],
    delegates: { list: async () => ({ total: people.length, items: people }) } as unknown as FeedbackWorkerDeps['delegates'],
    outbound: {
      enqueue: async (request: OutboundRequest) => {
        sent.push(request);
        return (options.optedOut ?? []).includes(request.to) ? { messageId: 'm', state: 'skipped', reason: 'opted_out' } : { messageId: 'm', state: 'queued' };
      },
    },
  };
  return { fire: createFeedbackProcessor(deps), sent, requested };
}
const job = { data: { packId: 'egov2015', session: 'S105', endsAt: END } };

describe('a rating request', () => {
  it('goes to the subscribers in their language, once per person and session (a stable idempotency key)', async () => {
    const first = setup();
    expect(await first.fire(job)).toEqual({ sent: 2 });
    expect(first.sent.map((r) => [r.to, r.text.slice(0, 9), r.purpose])).toEqual([['+255713900001', 'Asante kw', 'reminder'], ['+255713900002', 'Thank you', 'reminder']]);
    expect(first.requested).toEqual(['+255713900001', '+255713900002']);
    const again = setup();
    await again.fire(job);
    expect(again.sent.map((r) => r.idempotencyKey)).toEqual(first.sent.map((r) => r.idempotencyKey));
    expect(first.sent[0]?.idempotencyKey).not.toContain('255713900001');
  });

  it("goes to the session's cohort when chosen, and to nobody when off", async () => {
    const cohort = setup({ settings: { default: 'subscribers', sessions: { S105: 'cohort' } } });
    await cohort.fire(job);
    expect(cohort.sent.map((r) => r.to)).toEqual(['+255713900001', '+255713900002']);
    const off = setup({ settings: { default: 'off', sessions: {} } });
    expect(await off.fire(job)).toEqual({ sent: 0, dropped: 'feedback off for this session' });
  });

  it('skips who already rated; an opted-out phone is not marked as asked', async () => {
    const run = setup({ rated: ['+255713900001'], optedOut: ['+255713900002'] });
    expect(await run.fire(job)).toEqual({ sent: 0 });
    expect(run.sent.map((r) => r.to)).toEqual(['+255713900002']);
    expect(run.requested).toEqual([]);
  });

  it('sends nothing for a moved or cancelled session, or more than two hours late', async () => {
    const moved = { ...pack.event, sessions: pack.event.sessions.map((s) => (s.code === 'S105' ? { ...s, end: '15:45' } : s)) };
    expect(await setup({ event: moved }).fire(job)).toEqual({ sent: 0, dropped: 'session moved' });
    const cancelled = { ...pack.event, sessions: pack.event.sessions.filter((s) => s.code !== 'S105') };
    expect(await setup({ event: cancelled }).fire(job)).toEqual({ sent: 0, dropped: 'session cancelled' });
    const late = new Date(Date.parse(END) + FEEDBACK_LATE_LIMIT_MS + 1000).toISOString();
    expect(await setup({ now: late }).fire(job)).toEqual({ sent: 0, dropped: 'past the late limit' });
    expect(await setup({ now: new Date(Date.parse(END) + FEEDBACK_LATE_LIMIT_MS - 1000).toISOString() }).fire(job)).toEqual({ sent: 2 });
  });
});
