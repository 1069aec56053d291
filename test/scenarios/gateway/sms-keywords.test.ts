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

  it('opts out with ACHA (one confirmation, then silence) and back in with ANZA', async () => {
    const phone = '+255713000005';
    await text(phone, 'ACHA');
    const stopped = await replyNumber(phone, 1);
    await text(phone, 'RATIBA');
    await new Promise((r) => setTimeout(r, 700));
    expect(await inbox(phone)).toEqual([stopped]);
    await text(phone, 'ANZA');
    await replyNumber(phone, 2);
    await text(phone, 'RATIBA');
    await replyNumber(phone, 3);
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
