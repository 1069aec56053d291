/**
 * Every keyword end to end: webhook -> inbound queue -> command -> outbound pipeline -> outbox
 * provider -> ledger, in both languages, with typos, unknown text, a duplicate AT id and opt-out.
 */
import request from 'supertest';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { smsBody } from '../../support/at-bodies';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

let counter = 0;
function nextId(): string {
  counter += 1;
  return `ATXid_${Date.now().toString(16)}${counter.toString().padStart(6, '0')}`;
}

describe('SMS keywords end to end', () => {
  let stack: GatewayStack;
  beforeAll(async () => { stack = await startGatewayStack(); });
  afterAll(async () => { await stack.close(); });

  async function text(from: string, body: string, id = nextId()): Promise<string> {
    const response = await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from, text: body, id }));
    expect(response.status).toBe(200);
    return id;
  }

  async function inbox(phone: string): Promise<string[]> {
    return (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 50 })).map((m) => m.message);
  }

  /** Waits for the phone's inbox to hold `count` messages; returns the newest. */
  async function replyNumber(phone: string, count: number): Promise<string> {
    return eventually(async () => {
      const messages = await inbox(phone);
      return messages.length >= count ? messages[0] : undefined;
    }, 10000, `${count} messages for ${phone}`);
  }

  it('registers by SMS in Kiswahili, then answers RATIBA, KIKAO, KUMBUSHA and ZANGU', async () => {
    const phone = '+255713000001';
    await text(phone, 'SAJILI Asha Juma, Wizara ya Fedha');
    const registered = await replyNumber(phone, 1);
    expect(registered).toMatch(/Asha Juma/);
    const code = (await stack.gateway.redis.hget(stack.gateway.keys.delegates.byPhone('egov2015', phone), 'code')) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{5}$/);
    expect(registered).toContain(code);
    await text(phone, 'ratiba');
    expect(await replyNumber(phone, 2)).toMatch(/RATIBA 1|17\/8/);
    await text(phone, 'ratiba 1');
    expect(await replyNumber(phone, 3)).toMatch(/S101/);
    await text(phone, 'kikao s101');
    expect(await replyNumber(phone, 4)).toMatch(/S101[\s\S]*Kilimanjaro/);
    await text(phone, 'KUMBUSHA S102');
    await replyNumber(phone, 5);
    expect(await stack.gateway.redis.smembers(stack.gateway.keys.reminders.byPhone('egov2015', phone))).toEqual(['S102']);
    await text(phone, 'zangu');
    expect(await replyNumber(phone, 6)).toContain(code);
  });

  it('answers in English when the keyword is English, and forgives a typo', async () => {
    const phone = '+255713000002';
    await text(phone, 'REG John Doe');
    const ask = await replyNumber(phone, 1);
    expect(ask).toMatch(/John Doe/);
    await text(phone, 'AGENDS');
    const agenda = await replyNumber(phone, 2);
    expect(agenda).toMatch(/AGENDA/);
  });

  it('handles the same AT message id once', async () => {
    const phone = '+255713000003';
    const id = nextId();
    await text(phone, 'HELP', id);
    await text(phone, 'HELP', id);
    await replyNumber(phone, 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await inbox(phone)).toHaveLength(1);
  });

  it('sends the help reply to unknown text at most once an hour', async () => {
    const phone = '+255713000004';
    await text(phone, 'habari yako');
    await replyNumber(phone, 1);
    await text(phone, 'mambo vipi');
    await new Promise((r) => setTimeout(r, 700));
    expect(await inbox(phone)).toHaveLength(1);
  });

  it('opts out with ACHA (one confirmation), answers a keyword once an hour with how to come back, and back in with ANZA', async () => {
    const phone = '+255713000005';
    await text(phone, 'ACHA');
    const stopped = await replyNumber(phone, 1);
    await text(phone, 'RATIBA');
    const notice = await replyNumber(phone, 2);
    expect(notice).toBe('Umejiondoa kwenye SMS za Mkutano wa Serikali Mtandao 2015, kwa hiyo hatujibu ujumbe wako. Tuma ANZA kurudi.');
    await text(phone, 'AGENDA');
    await text(phone, 'habari');
    await new Promise((r) => setTimeout(r, 700));
    expect(await inbox(phone)).toEqual([notice, stopped]);
    await text(phone, 'ANZA');
    await replyNumber(phone, 3);
    await text(phone, 'RATIBA');
    await replyNumber(phone, 4);
  });

  it('an opted-out phone texting in English is answered in English', async () => {
    const phone = '+255713000015';
    await text(phone, 'STOP');
    await replyNumber(phone, 1);
    await text(phone, 'AGENDA TODAY');
    expect(await replyNumber(phone, 2)).toBe('You have opted out of SMS from the e-Government Conference 2015, so we do not answer your messages. Send START to come back.');
  });

  it('refuses a reminder for a session that has begun, with the reason, in both languages', async () => {
    const phone = '+255713000016';
    stack.clock.set('2015-08-17T06:40:00.000Z'); // 09:40 in Arusha: S101 (08:30) and S102 (09:30) have begun
    try {
      await text(phone, 'KUMBUSHA S102');
      expect(await replyNumber(phone, 1)).toBe('Kikao S102 Ufunguzi rasmi kimeshaanza au kimekwisha, kwa hiyo hakuna kikumbusho. Tuma SASA kuona vikao vya sasa na vijavyo.');
      await text(phone, 'REMIND S101');
      expect(await replyNumber(phone, 2)).toBe('The session S101 Registration has already started or ended, so there is no reminder. Send NOW for the sessions now and next.');
      expect(await stack.gateway.redis.smembers(stack.gateway.keys.reminders.byPhone('egov2015', phone))).toEqual([]);
    } finally {
      stack.clock.set('2015-08-17T05:00:00.000Z');
    }
  });

  it('SASA/NOW and RATIBA LEO/AGENDA TODAY answer for the sender\'s cohort and today', async () => {
    const phone = '+255713000018';
    stack.clock.set('2015-08-17T06:40:00.000Z'); // 09:40 on day 1 in Arusha
    try {
      await text(phone, 'SASA');
      expect(await replyNumber(phone, 1)).toBe('Vikao vya sasa na vijavyo (Ratiba ya mfano):\nSasa: 09:30 S102 Ufunguzi rasmi, Kilimanjaro Hall\nKijacho: 11:00 S103 Sera na miongozo, Simba Hall\nKijacho: 12:00 S104 Usimamizi wa TEHAMA, Ngorongoro Room\nKijacho: 14:00 S105 Huduma kwa simu, Kilimanjaro Hall\nTuma KIKAO S101 kwa maelezo.');
      await text(phone, 'AGENDA TODAY');
      expect(await replyNumber(phone, 2)).toBe("Today 17/8 (Sample agenda):\n08:30 S101 Registration\n09:30 S102 Official opening\n11:00 S103 Policy and guidelines\n12:00 S104 Managing ICT\n14:00 S105 Mobile services\n16:00 S106 Group discussions\nSend SESSION S101 for details.");
      // A cohort 2 delegate has no sessions on day 1: today is empty, and now and next is their first day.
      await stack.gateway.services.delegates.register('egov2015', { phone, name: 'Dkt. Neema Mollel', institution: 'TAMISEMI', institutionType: 'ministry', cohort: '2', language: 'sw', channel: 'sms' }, new Date('2015-08-17T06:40:00.000Z'));
      await text(phone, 'RATIBA LEO');
      expect(await replyNumber(phone, 3)).toBe('Hakuna vikao vyako leo. Tuma RATIBA kuona siku za mkutano.');
      await text(phone, 'NOW');
      expect(await replyNumber(phone, 4)).toMatch(/^Sessions now and next \(Sample agenda\):\nNext: 19\/8 09:00 S301 Cohort 2 opening, Kilimanjaro Hall\n/);
    } finally {
      stack.clock.set('2015-08-17T05:00:00.000Z');
    }
  });

  it('keeps the language an unregistered phone chose, for its later replies', async () => {
    const phone = '+255713000017';
    await text(phone, 'LUGHA EN');
    expect(await replyNumber(phone, 1)).toBe('You will now get messages in English.');
    expect(await stack.gateway.services.delegates.languageOf('egov2015', phone)).toBe('en');
    await text(phone, 'habari gani');
    expect(await replyNumber(phone, 2)).toMatch(/^Sorry, we did not understand/);
  });

  it('switches the language with LUGHA EN', async () => {
    const phone = '+255713000006';
    await text(phone, 'SAJILI Neema Mollel, TAMISEMI');
    await replyNumber(phone, 1);
    await text(phone, 'LUGHA EN');
    await replyNumber(phone, 2);
    expect(await stack.gateway.redis.hget(stack.gateway.keys.delegates.byPhone('egov2015', phone), 'language')).toBe('en');
  });

  it('acknowledges bodies it cannot use with 200 and no reply', async () => {
    const response = await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send('from=not-a-number&text=HELP&id=x');
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ignored');
    const garbage = await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send('%%%');
    expect(garbage.status).toBe(200);
  });
});
