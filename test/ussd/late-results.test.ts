/**
 * Late action results: the registration passes its deadline (the slow-action hook holds it), the
 * caller gets the late END, the registration completes exactly once whatever the caller does
 * meanwhile (retry the hop, redial and register again), its outcome screen goes out as one SMS,
 * and a result that never comes is reported lost to the organiser.
 */
import { randomBytes } from 'node:crypto';
import { createUssdStack, type UssdStack } from '../support/ussd-stack';

jest.mock('../../src/event/registration-code', () => jest.requireActual('../support/fixed-registration-codes'));

const PHONE = '+255754000077';
const CODE = '*384*2015#';
const REGISTER = ['1', 'Asha Juma Mwinyi', 'Wizara ya Fedha', '1', '1', '1'];

function session(stack: UssdStack, phone = PHONE): { id: string; hop(text: string): Promise<string> } {
  const id = `ATUid_${randomBytes(8).toString('hex')}`;
  return { id, hop: (text) => stack.service.handle({ sessionId: id, serviceCode: CODE, phone, networkCode: '64004', text }) };
}

/** Dials and registers; returns the last screen. */
async function register(stack: UssdStack): Promise<{ id: string; screen: string; retry(): Promise<string> }> {
  const s = session(stack);
  let screen = await s.hop('');
  for (let i = 1; i <= REGISTER.length; i++) screen = await s.hop(REGISTER.slice(0, i).join('*'));
  return { id: s.id, screen, retry: () => s.hop(REGISTER.join('*')) };
}

async function metric(stack: UssdStack, outcome: string): Promise<number> {
  const m = await stack.metrics.registry.getSingleMetric('kiungo_ussd_late_results_total')?.get();
  return m?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

const resultSms = (stack: UssdStack): string[] => stack.outbound.sent.filter((m) => m.idempotencyKey.startsWith('late:')).map((m) => m.text);

describe('late action results', () => {
  let stack: UssdStack;
  afterEach(async () => stack.close());

  test('past the deadline the caller gets the late END; the result comes once by SMS, through the ledger, tied to the session', async () => {
    stack = await createUssdStack({ slowAction: 'register' });
    const { id, screen } = await register(stack);
    expect(screen).toBe('END Ombi lako bado linashughulikiwa. Tutakutumia majibu kwa SMS muda mfupi ujao.');
    expect(await stack.delegates.get('egov2015', PHONE)).toBeNull();
    stack.releaseSlow();
    await stack.service.settled();
    expect((await stack.delegates.get('egov2015', PHONE))?.name).toBe('Asha Juma Mwinyi');
    const late = stack.outbound.sent.filter((m) => m.idempotencyKey.startsWith('late:'));
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ to: PHONE, purpose: 'reply', inboundTriggered: true, packId: 'egov2015' });
    expect(late[0]?.idempotencyKey).toContain(id);
    // The outcome screen is the next-steps menu: the SMS carries its text without the numbered options.
    expect(late[0]?.text).toMatch(/^Asante Asha Juma Mwinyi, umesajiliwa.*EG-/);
    expect(late[0]?.text).not.toMatch(/^\d{1,2}\. /m);
    expect(await stack.lateResults.counts('egov2015')).toEqual({ late: 1, recovered: 1, lost: 0 });
    expect([await metric(stack, 'late'), await metric(stack, 'recovered'), await metric(stack, 'lost')]).toEqual([1, 1, 0]);
    const listing = await stack.lateResults.listing('egov2015');
    expect(listing.open).toEqual([]);
    expect(listing.finished).toEqual([expect.objectContaining({ sessionId: id, action: 'register', state: 'recovered', outcome: 'ok', messageId: expect.any(String) })]);
  });

  test('a retried hop and a redial that registers again start nothing more: one registration, one result SMS', async () => {
    stack = await createUssdStack({ slowAction: 'register' });
    const first = await register(stack);
    expect(await first.retry()).toBe(first.screen);
    const redial = await register(stack);
    expect(redial.screen).toBe(first.screen);
    stack.releaseSlow();
    await stack.service.settled();
    expect(resultSms(stack)).toHaveLength(1);
    expect(stack.outbound.sent.filter((m) => m.purpose === 'confirmation')).toHaveLength(1);
    expect(await stack.lateResults.counts('egov2015')).toEqual({ late: 1, recovered: 1, lost: 0 });
    expect(stack.hops.flatMap((h) => h.effects).filter((e) => e.type === 'action_late_waiting')).toHaveLength(1);
    // Once delivered, the caller is registered: home offers "Usajili wangu".
    expect(await session(stack).hop('')).toMatch(/^CON .*\n1\. Usajili wangu\n/);
  });

  test('in English the late END and the result SMS are in English', async () => {
    stack = await createUssdStack({ slowAction: 'register', defaultLanguage: 'en' });
    const { screen } = await register(stack);
    expect(screen).toBe('END Your request is still being processed. We will send you the result by SMS shortly.');
    stack.releaseSlow();
    await stack.service.settled();
    expect(resultSms(stack)).toEqual([expect.stringMatching(/^Thank you Asha Juma Mwinyi, you are registered/)]);
  });

  test('a result that never comes is reported lost once, listed for the organiser and frees the phone', async () => {
    stack = await createUssdStack({ slowAction: 'register', lateLostAfterMs: 60_000 });
    const { id } = await register(stack);
    expect(await stack.sweepLate()).toBe(0);
    stack.clock.advance(60_001);
    expect(await stack.sweepLate()).toBe(1);
    expect(await stack.sweepLate()).toBe(0);
    expect(await stack.lateResults.counts('egov2015')).toEqual({ late: 1, recovered: 0, lost: 1 });
    expect(await metric(stack, 'lost')).toBe(1);
    const listing = await stack.lateResults.listing('egov2015');
    expect(listing.finished).toEqual([expect.objectContaining({ sessionId: id, state: 'lost', action: 'register' })]);
    expect(JSON.stringify(listing)).not.toContain(PHONE);
    expect(await stack.lateResults.inFlight('egov2015', PHONE, 'register')).toBeNull();
  });

  test('erasing the person drops the open late record that holds their number', async () => {
    stack = await createUssdStack({ slowAction: 'register' });
    await register(stack);
    expect(await stack.lateResults.erase('egov2015', '+255754000001')).toBe(0);
    expect(await stack.lateResults.erase('egov2015', PHONE)).toBe(1);
    expect((await stack.lateResults.listing('egov2015')).open).toEqual([]);
    expect(await stack.lateResults.inFlight('egov2015', PHONE, 'register')).toBeNull();
    expect(await stack.sweepLate()).toBe(0);
  });

  test('the deadline is the node\'s, cut to fit the hop budget so the busy END guarantee holds', async () => {
    stack = await createUssdStack({ deadlineMs: 5000 });
    await register(stack);
    expect(stack.deadlinesAsked).toEqual([{ action: 'register', ms: 1000 }]);
    await stack.close();
    // 1100 ms for the hop, 300 ms kept for saving and answering: at most 800 ms for the action.
    stack = await createUssdStack({ deadlineMs: 1100 });
    await register(stack);
    expect(stack.deadlinesAsked).toHaveLength(1);
    expect(stack.deadlinesAsked[0]?.ms).toBeLessThanOrEqual(800);
    expect(stack.deadlinesAsked[0]?.ms).toBeGreaterThan(0);
  });

  test('an action that answers within its deadline is not late', async () => {
    stack = await createUssdStack();
    const { screen } = await register(stack);
    // Registration ends on its next-steps menu, options included.
    expect(screen).toMatch(/^CON Asante Asha Juma Mwinyi, umesajiliwa.*\n1\. Ratiba yangu\n/);
    expect(resultSms(stack)).toEqual([]);
    expect(await stack.lateResults.counts('egov2015')).toEqual({ late: 0, recovered: 0, lost: 0 });
  });
});
