/**
 * The USSD webhook through the real express app, the real engine and the sample pack, on the
 * private test Redis: registration, idempotent retries, concurrent hops, `*` inside input, deep
 * links, resume, and the answers to broken bodies.
 */
import request from 'supertest';
import { isGsm7, textUnits } from '../../src/kernel/text/gsm';
import { SYSTEM_SCREENS } from '../../src/ussd/system-messages';
import { form, ussdBody } from '../support/at-bodies';
import { AtPhone } from '../support/at-phone';
import { createUssdStack, samplePacks, type UssdStack } from '../support/ussd-stack';

function expectWithinBudget(screen: string): void {
  const body = screen.replace(/^(CON|END) /, '');
  expect(screen).toMatch(/^(CON|END) /);
  expect(textUnits(body)).toBeLessThanOrEqual(isGsm7(body) ? 160 : 70);
}

async function registerThrough(phone: AtPhone, name = 'Asha Juma'): Promise<string> {
  await phone.dial();
  await phone.send('1');
  await phone.send(name);
  await phone.send('Wizara ya Fedha');
  await phone.send('1');
  await phone.send('1');
  return phone.send('1');
}

describe('USSD webhook', () => {
  let stack: UssdStack;
  beforeEach(async () => { stack = await createUssdStack(); });
  afterEach(async () => { await stack.close(); });

  it('registers a delegate in Kiswahili and keeps every screen within budget', async () => {
    const phone = new AtPhone(stack.app);
    const done = await registerThrough(phone);
    expect(done).toMatch(/^CON Asante Asha Juma, umesajiliwa\. Namba yako ya usajili: [A-Z0-9]{5}\./);
    phone.screens.forEach(expectWithinBudget);
    const code = /usajili: ([A-Z0-9]{5})\./.exec(done)?.[1];
    const stored = await stack.redis.hgetall(stack.keys.delegates.byPhone('egov2015', '+255712345678'));
    expect(stored).toMatchObject({ name: 'Asha Juma', institution: 'Wizara ya Fedha', code, language: 'sw', channel: 'ussd' });
  });

  it('counts the registration confirmation against the caller\'s hourly cap, with the cap notice in their language', async () => {
    await registerThrough(new AtPhone(stack.app));
    expect(stack.outbound.sent).toEqual([expect.objectContaining({ purpose: 'confirmation', to: '+255712345678', inboundTriggered: true, capNotice: expect.stringMatching(/^Umefikia kikomo cha ujumbe/) })]);
  });

  it('keeps the language an unregistered caller chose: the next dial, and registering, are in it', async () => {
    const phone = new AtPhone(stack.app);
    await phone.dial();
    await phone.send('5'); // Lugha / Language
    expect(await phone.send('2')).toMatch(/^CON Welcome to the e-Government Conference 2015\n1\. Register/);
    const again = new AtPhone(stack.app, phone.phoneNumber);
    expect(await again.dial()).toMatch(/^CON Welcome to the e-Government Conference 2015\n1\. Register/);
    expect(await stack.delegates.languageOf('egov2015', phone.phoneNumber)).toBe('en');
    const done = await registerThrough(new AtPhone(stack.app, phone.phoneNumber), 'John Mushi');
    expect(done).toMatch(/^CON Thank you John Mushi, you are registered\./);
    expect(await stack.redis.hget(stack.keys.delegates.byPhone('egov2015', phone.phoneNumber), 'language')).toBe('en');
  });

  it('shows the existing registration to someone who registers twice', async () => {
    await registerThrough(new AtPhone(stack.app));
    const again = new AtPhone(stack.app);
    const home = await again.dial();
    expect(home).toContain('1. Usajili wangu');
    expect(home).not.toContain('Jisajili');
  });

  it('answers a retried hop byte for byte and repeats no effect', async () => {
    const phone = new AtPhone(stack.app);
    const first = await registerThrough(phone);
    const again = await phone.retry();
    expect(again).toBe(first);
    expect(await stack.redis.zcard(stack.keys.delegates.index('egov2015'))).toBe(1);
    expect(await stack.redis.hlen(stack.keys.delegates.byCode('egov2015'))).toBe(1);
  });

  it('serialises two identical hops that arrive at once', async () => {
    const phone = new AtPhone(stack.app);
    await phone.dial();
    for (const input of ['1', 'Baraka Mushi', 'TAMISEMI', '1', '2']) await phone.send(input);
    const body = ussdBody({ sessionId: phone.sessionId, phoneNumber: phone.phoneNumber, text: `${phone.text}*1` });
    const answers = await Promise.all([1, 2, 3].map(() => request(stack.app).post('/webhooks/africastalking/ussd').type('form').send(body)));
    const texts = answers.map((a) => a.text);
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toMatch(/^CON Asante Baraka Mushi/);
    expect(await stack.redis.zcard(stack.keys.delegates.index('egov2015'))).toBe(1);
  });

  it('keeps a * typed inside a name as part of the name', async () => {
    const phone = new AtPhone(stack.app);
    await phone.dial();
    await phone.send('1');
    await phone.send('Asha*Juma');
    expect(phone.text).toBe('1*Asha*Juma');
    await phone.send('eGA');
    await phone.send('3');
    const confirm = await phone.send('1');
    expect(confirm).toContain('Asha*Juma');
  });

  it('takes extra digits of a first request as a deep link, in text or in the dialled code', async () => {
    const viaText = new AtPhone(stack.app);
    const agenda = await viaText.dial('*384*2015#', '2');
    expect(agenda).toMatch(/^CON /);
    const viaCode = new AtPhone(stack.app, '+255754000001');
    expect(await viaCode.dial('*384*2015*2#')).toBe(agenda);
    const home = await new AtPhone(stack.app, '+255754000002').dial();
    expect(agenda).not.toBe(home);
  });

  it('routes the code without its channel suffix to the only pack on that base', async () => {
    // Both sample packs are on *384#: there the bare base is ambiguous, so one pack alone is loaded.
    await stack.close();
    stack = await createUssdStack({ packs: samplePacks().filter((p) => p.id === 'egov2015') });
    const phone = new AtPhone(stack.app);
    expect(await phone.dial('*384#')).toMatch(/^CON Karibu/);
  });

  it('answers a bare base code shared by several packs with the not-served screen, and deep links into each', async () => {
    expect(await new AtPhone(stack.app).dial('*384#')).toMatch(/^END /);
    expect(await new AtPhone(stack.app, '+255754000003').dial('*384*2016*2#')).toMatch(/^CON Ratiba \(Ratiba ya mfano\)/);
  });

  it('offers to resume a dropped session, and continues or starts over', async () => {
    const phone = new AtPhone(stack.app);
    await phone.dial();
    await phone.send('1');
    const namePrompt = await phone.send('Neema Mollel');
    const offer = await phone.dial();
    expect(offer).toMatch(/^CON /);
    expect(offer).toMatch(/1\. Endelea[\s\S]*2\. Anza upya/);
    expect(await phone.send('1')).toBe(namePrompt);
    await phone.dial();
    const restart = await phone.send('2');
    expect(restart).toMatch(/^CON Karibu/);
    expect(await new AtPhone(stack.app).dial()).toMatch(/^CON Karibu/);
  });

  it('does not offer to resume a session that ended', async () => {
    const phone = new AtPhone(stack.app);
    await registerThrough(phone);
    expect(await phone.dial()).toMatch(/^CON Karibu/);
  });

  it('answers END with a bilingual message for bodies it cannot use, never a 5xx', async () => {
    const post = (body: string, type = 'form') => request(stack.app).post('/webhooks/africastalking/ussd').type(type).send(body);
    const cases = [
      form({ serviceCode: '*384*2015#', phoneNumber: '+255712345678', text: '' }),
      form({ sessionId: 'ATUid_x', serviceCode: '*384*2015#', text: '' }),
      form({ sessionId: 'ATUid_x', serviceCode: '*384*2015#', phoneNumber: 'not-a-phone', text: '' }),
      'sessionId=a&sessionId=b&phoneNumber=%2B255712345678&serviceCode=*384*2015%23&text=',
      `sessionId=ATUid_big&phoneNumber=%2B255712345678&serviceCode=*384*2015%23&text=${'1'.repeat(20000)}`,
      '%%%not-a-form',
    ];
    for (const body of cases) {
      const response = await post(body);
      expect(response.status).toBe(200);
      expect(response.text).toMatch(/^END /);
    }
    const json = await request(stack.app).post('/webhooks/africastalking/ussd').set('content-type', 'application/json').send('{"sessionId":');
    expect(json.status).toBe(200);
    expect(json.text).toBe(SYSTEM_SCREENS.badRequest);
  });

  it('accepts a phone number whose + arrived unencoded (decoded as a space)', async () => {
    const body = `sessionId=ATUid_plus&serviceCode=*384*2015%23&phoneNumber=+255712345678&networkCode=64004&text=`;
    const response = await request(stack.app).post('/webhooks/africastalking/ussd').type('form').send(body);
    expect(response.text).toMatch(/^CON Karibu/);
  });

  it('never lets typed input break the prefix or the budget (CON/END, emoji, control characters)', async () => {
    for (const name of ['END CON', 'Asha 😀 Juma', 'A\u0007sha\u0000 Juma', 'x'.repeat(300)]) {
      const phone = new AtPhone(stack.app, '+255754111222');
      await phone.dial();
      await phone.send('1');
      const next = await phone.send(name);
      expect(next.startsWith('CON ') || next.startsWith('END ')).toBe(true);
      phone.screens.forEach(expectWithinBudget);
      expect(next.slice(4)).not.toMatch(/^(CON|END)/);
    }
  });

  it('ends a session cleanly when the pack changes under it', async () => {
    const phone = new AtPhone(stack.app);
    await phone.dial();
    await phone.send('1');
    const record = JSON.parse((await stack.redis.get(stack.keys.ussd.session(phone.sessionId))) ?? '{}');
    record.snapshot.flowVersion = 'old-version';
    await stack.redis.set(stack.keys.ussd.session(phone.sessionId), JSON.stringify(record));
    expect(await phone.send('Asha')).toBe(SYSTEM_SCREENS.updated);
  });

  it('records drop-offs from AT end-of-session notifications', async () => {
    const phone = new AtPhone(stack.app);
    await phone.dial();
    await phone.send('1');
    const response = await request(stack.app).post('/webhooks/africastalking/ussd-events').type('form')
      .send(form({ sessionId: phone.sessionId, status: 'Incomplete', phoneNumber: phone.phoneNumber, serviceCode: '*384*2015#', input: '1', hopsCount: '2', durationInMillis: '30000' }));
    expect(response.status).toBe(200);
    expect(await stack.redis.hget(stack.keys.ussd.nodeDropOffs('egov2015'), 'reg_name')).toBe('1');
    const odd = await request(stack.app).post('/webhooks/africastalking/ussd-events').type('form').send('garbage=%%');
    expect(odd.status).toBe(200);
  });
});

describe('USSD webhook key', () => {
  it('refuses a missing or wrong key and accepts the right one', async () => {
    const stack = await createUssdStack({ webhookKey: 'k'.repeat(24) });
    try {
      const body = ussdBody({ sessionId: 'ATUid_key', phoneNumber: '+255712345678', text: '' });
      const path = '/webhooks/africastalking/ussd';
      expect((await request(stack.app).post(path).type('form').send(body)).status).toBe(403);
      expect((await request(stack.app).post(`${path}?key=wrong`).type('form').send(body)).status).toBe(403);
      const ok = await request(stack.app).post(`${path}?key=${'k'.repeat(24)}`).type('form').send(body);
      expect(ok.status).toBe(200);
      expect(ok.text).toMatch(/^CON /);
    } finally {
      await stack.close();
    }
  });
});
