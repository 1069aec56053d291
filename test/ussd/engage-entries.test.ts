/**
 * The USSD entries of feedback ("Toa maoni"), a question to the panel ("Uliza swali") and
 * from a session's screen ("Maoni na maswali"), played on the sample pack,
 * in both languages, through the whole gateway; plus the outcomes a list cannot reach.
 */
import request from 'supertest';
import { fixedClock } from '../../src/kernel/clock';
import { createLogger } from '../../src/kernel/logger';
import { askQuestion } from '../../src/ussd/actions/ask-question';
import { checkIn } from '../../src/ussd/actions/check-in';
import { rateSession } from '../../src/ussd/actions/rate-session';
import type { ActionDeps } from '../../src/ussd/actions/types';
import { AtPhone } from '../support/at-phone';
import { startGatewayStack, type GatewayStack } from '../support/gateway-stack';

const TOKEN = 'admin-token-ussd-engage-0123456789';
// 17 August 2015, 16:00 in Arusha: S105 (14:00-15:30) is over, S106 (16:00-17:00) has just started.
const NOW = '2015-08-17T13:00:00.000Z';

/** Home -> Ratiba / Agenda -> by day -> Monday 17/8 -> the session at `time` -> "Maoni na maswali" / "Rate or ask" -> `label`. */
async function open(phone: AtPhone, time: RegExp, label: RegExp): Promise<string> {
  const agenda = await choose(phone, await phone.dial(), /^\d+\. (Ratiba|Agenda)$/);
  const days = await choose(phone, agenda, /Kwa siku|By day/);
  const day = await choose(phone, days, /17\/8/);
  const session = await choose(phone, day, time);
  const engage = await choose(phone, session, /Maoni na maswali|Rate or ask/);
  return choose(phone, engage, label);
}

/** Picks the option whose label matches `label`, paging with 98 when it is further on. */
async function choose(phone: AtPhone, screen: string, label: RegExp): Promise<string> {
  let current = screen;
  for (let page = 0; page < 5; page++) {
    const line = current.replace(/^(CON|END) /, '').split('\n').find((l) => /^\d+\. /.test(l) && label.test(l));
    if (line) return phone.send(line.split('.')[0] ?? '');
    if (!/\n98\. /.test(current)) break;
    current = await phone.send('98');
  }
  throw new Error(`no option ${label} on:\n${current}`);
}

describe('USSD: rate a session, ask the panel, check in', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ now: NOW, env: { ADMIN_TOKENS: `admin:${TOKEN}`, DIGEST_TIME: 'off' } });
    await stack.gateway.services.delegates.register('egov2015', { phone: '+255713700002', name: 'Ms. Anna Lyimo', institution: 'e-GA', institutionType: 'central', cohort: '1', language: 'en', channel: 'api' }, new Date(NOW));
  });
  afterAll(async () => { await stack.close(); });
  const api = (p: string) => request(stack.gateway.app).get(`/api/v1${p}`).set('Authorization', `Bearer ${TOKEN}`);

  it('sw: a session that has started is rated from its screen; rating again replaces it', async () => {
    const phone = new AtPhone(stack.gateway.app, '+255713700001');
    const prompt = await open(phone, /14:00/, /Toa maoni/);
    expect(prompt).toMatch(/^CON S105 .*\nTafadhali kipime kikao: andika namba 1 \(dhaifu\) hadi 5 \(bora sana\)\./);
    expect(await phone.send('7')).toMatch(/^CON /); // out of range: asked again
    expect(await phone.send('4')).toBe('END Asante. Tathmini yako ya 4/5 kwa kikao S105 imepokelewa.');
    const again = new AtPhone(stack.gateway.app, '+255713700001');
    await open(again, /14:00/, /Toa maoni/);
    expect(await again.send('2')).toBe('END Asante. Tathmini yako ya kikao S105 sasa ni 2/5.');
    expect((await api('/feedback/sessions/S105')).body).toMatchObject({ count: 1, average: 2 });
    const early = new AtPhone(stack.gateway.app, '+255713700001');
    await open(early, /16:00/, /Toa maoni/);
    // S106 started at 16:00 sharp (the fixed clock): it can be rated already.
    expect(await early.send('5')).toBe('END Asante. Tathmini yako ya 5/5 kwa kikao S106 imepokelewa.');
  });

  it('en: asks the panel of a session not over; a session that is over takes no more questions', async () => {
    const phone = new AtPhone(stack.gateway.app, '+255713700002');
    expect(await open(phone, /16:00/, /Ask the panel/)).toMatch(/^CON Type your question for session S106 \(at most 120 characters\):/);
    expect(await phone.send('Will the slides be shared?')).toBe('END Thank you. Your question has been received; it will be shown once approved.');
    expect((await api('/questions/S106')).body.items).toEqual([expect.objectContaining({ text: 'Will the slides be shared?', channel: 'ussd', status: 'pending', name: 'Ms. Anna Lyimo' })]);
    const late = new AtPhone(stack.gateway.app, '+255713700002');
    await open(late, /14:00/, /Ask the panel/);
    expect(await late.send('Was this recorded?')).toBe('END Sorry, session S105 is over; it no longer takes questions.');
  });

  it('the outcomes of the actions: not started, closed, unregistered, and no stores', async () => {
    const clock = fixedClock(NOW);
    const { services } = stack.gateway;
    const pack = services.packs[0];
    if (!pack) throw new Error('no pack');
    const engage = services.engage;
    const deps = { delegates: services.delegates, reminders: services.reminders, agenda: services.agenda, clock, logger: createLogger('silent'), outbound: { enqueue: async () => ({ messageId: '1', state: 'queued' as const }) }, erasePerson: async () => undefined, engage } as ActionDeps;
    const call = (params: Record<string, string>, phone = '+255713700003') => ({ pack, phone, lang: 'sw' as const, params, hopId: 'h1' });
    expect(await rateSession(call({ session: 'S403', rating: '5' }), deps)).toEqual({ result: 'not_started' });
    expect(await rateSession(call({ session: 'S105', rating: '6' }), deps)).toEqual({ result: 'error' });
    expect(await askQuestion(call({ session: 'S105', question: 'Je, slaidi?' }), deps)).toEqual({ result: 'closed' });
    expect(await askQuestion(call({ session: 'S999', question: 'Je, slaidi?' }), deps)).toEqual({ result: 'error' });
    expect(await checkIn(call({}), deps)).toEqual({ result: 'unregistered' });
    const { engage: _none, ...without } = deps;
    void _none;
    expect(await checkIn(call({}), without as ActionDeps)).toEqual({ result: 'error' });
  });
});
