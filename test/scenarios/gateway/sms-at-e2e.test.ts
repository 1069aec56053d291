/**
 * Keywords end to end on the Africa's Talking path: webhook -> inbound queue -> command ->
 * pipeline -> the real AT provider (SDK) -> nock standing in for AT -> ledger -> delivery report,
 * in both languages.
 */
import nock from 'nock';
import request from 'supertest';
import { createAfricasTalkingProvider } from '../../../src/providers/africastalking/at-sms-provider';
import { dlrBody, smsBody } from '../../support/at-bodies';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

interface AtCall { to: string; message: string; messageId: string }

describe('keywords through the Africa\'s Talking provider', () => {
  let stack: GatewayStack;
  const calls: AtCall[] = [];

  beforeAll(async () => {
    const provider = createAfricasTalkingProvider({ username: 'kiungo', apiKey: 'test-key', timeoutMs: 3000, enqueue: true });
    stack = await startGatewayStack({ provider });
  });
  afterAll(async () => { await stack.close(); });

  beforeEach(() => {
    nock('https://api.africastalking.com')
      .persist()
      .post('/version1/messaging')
      .matchHeader('apikey', 'test-key')
      .reply(201, (_uri, body) => {
        const form = new URLSearchParams(String(body));
        const recipients = (form.get('to') ?? '').split(',').map((number) => {
          const messageId = `ATXid_${(calls.length + 1).toString(16).padStart(32, '0')}`;
          calls.push({ to: number, message: form.get('message') ?? '', messageId });
          return { statusCode: 101, number, status: 'Success', cost: 'TZS 22.0000', messageId, messageParts: 1 };
        });
        return { SMSMessageData: { Message: `Sent to ${recipients.length}/${recipients.length} Total Cost: TZS 22`, Recipients: recipients } };
      });
  });

  async function text(from: string, body: string, id: string): Promise<void> {
    const response = await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from, text: body, id }));
    expect(response.status).toBe(200);
  }

  async function callTo(phone: string, count: number): Promise<AtCall> {
    return eventually(async () => {
      const mine = calls.filter((c) => c.to === phone);
      return mine.length >= count ? mine[count - 1] : undefined;
    }, 10000, `AT call ${count} to ${phone}`);
  }

  async function ledgerStateOf(providerMessageId: string): Promise<string | undefined> {
    const { messaging } = stack.gateway.services;
    for (const id of await messaging.listMessages({ limit: 100 })) {
      const entry = (await messaging.listByGroup(id, { limit: 100 })).find((e) => e.providerMessageId === providerMessageId);
      if (entry) return entry.state;
    }
    return undefined;
  }

  it('answers MSAADA in Kiswahili and HELP in English, and records the delivery reports', async () => {
    const phone = '+255717000001';
    await text(phone, 'MSAADA', 'ATXid_in_sw_1');
    const swahili = await callTo(phone, 1);
    expect(swahili.message).toMatch(/SAJILI/);
    // The provider's answer is recorded just after AT (nock) replies.
    expect(await eventually(async () => ((await ledgerStateOf(swahili.messageId)) === 'sent' ? 'sent' : undefined), 5000, 'the ledger entry in sent')).toBe('sent');

    await text(phone, 'help', 'ATXid_in_en_1');
    const english = await callTo(phone, 2);
    expect(english.message).toMatch(/^e-Government Conference 2015: text 15001 REG, AGENDA, AGENDA TODAY, NOW/);

    for (const call of [swahili, english]) {
      const dlr = await request(stack.gateway.app).post('/webhooks/africastalking/delivery-reports').type('form')
        .send(dlrBody({ id: call.messageId, status: 'Success', phoneNumber: phone }));
      expect(dlr.status).toBe(200);
    }
    expect(await eventually(async () => ((await ledgerStateOf(english.messageId)) === 'delivered' ? 'delivered' : undefined), 5000, 'delivered')).toBe('delivered');
    expect(await ledgerStateOf(swahili.messageId)).toBe('delivered');
  });

  it('registers by SAJILI and sends the code through AT', async () => {
    const phone = '+255717000002';
    await text(phone, 'sajili Baraka Mushi, TAMISEMI', 'ATXid_in_reg_1');
    const confirmation = await callTo(phone, 1);
    const code = await stack.gateway.redis.hget(stack.gateway.keys.delegates.byPhone('egov2015', phone), 'code');
    expect(code).toMatch(/^[A-Z0-9]{5}$/);
    expect(confirmation.message).toContain(code ?? '?');
    expect(confirmation.message).toMatch(/Baraka Mushi/);
  });
});
