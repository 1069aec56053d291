/**
 * Recovery dial strings: a session that AT reports cut (Incomplete or Failed) away from the home
 * screen earns one SMS with `*384*2015*<digits>#`; dialling it from the same phone resumes at the
 * same screen with the values collected so far, once. Another phone, a second use or a normal end
 * get no resume. Works on every code of a shared base (egov2016 answers *384*2016#).
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { form } from '../support/at-bodies';
import { createUssdStack, type UssdStack } from '../support/ussd-stack';
import { createRecoveryCodes } from '../../src/ussd/recovery-codes.redis';

const PHONE = '+255754000088';
const OTHER = '+255754000099';

function session(stack: UssdStack, code: string, phone = PHONE): { id: string; hop(text: string): Promise<string> } {
  const id = `ATUid_${randomBytes(8).toString('hex')}`;
  return { id, hop: (text) => stack.service.handle({ sessionId: id, serviceCode: code, phone, networkCode: '64005', text }) };
}

/** AT's end-of-session notification, with the fields of the vectors in test/fixtures/africastalking. */
async function ended(stack: UssdStack, sessionId: string, status: string, code = '*384*2015#', input = ''): Promise<void> {
  const response = await request(stack.app).post('/webhooks/africastalking/ussd-events').type('form').send(form({
    date: '2015-08-17 09:12:00', sessionId, serviceCode: code, networkCode: '64005', phoneNumber: PHONE, status,
    cost: 'TZS 0.00', durationInMillis: '30012', hopsCount: '3', input, lastAppResponse: 'CON Tafadhali andika jina la taasisi yako:', errorMessage: '',
  }));
  expect(response.status).toBe(200);
}

const recoverySms = (stack: UssdStack): string[] => stack.outbound.sent.filter((m) => m.idempotencyKey.startsWith('recovery:')).map((m) => m.text);
const digitsOf = (text: string | undefined, code: string): string => {
  const match = new RegExp(`${code.replace(/[*#]/g, (c) => `\\${c}`).replace('\\#', '')}\\*(\\d{6})#`).exec(text ?? '');
  if (!match?.[1]) throw new Error(`no dial string for ${code} in: ${text}`);
  return match[1];
};

describe('recovery dial strings', () => {
  let stack: UssdStack;
  afterEach(async () => stack.close());

  test('a timed-out session resumes at the same screen with its values, once, from the same phone only', async () => {
    stack = await createUssdStack();
    const cut = session(stack, '*384*2015#');
    await cut.hop('');
    await cut.hop('1');
    expect(await cut.hop('1*Asha Juma Mwinyi')).toBe('CON Tafadhali andika jina la taasisi yako:');
    await ended(stack, cut.id, 'Incomplete', '*384*2015#', '1*Asha Juma Mwinyi');
    await ended(stack, cut.id, 'Incomplete', '*384*2015#', '1*Asha Juma Mwinyi');
    const sms = recoverySms(stack);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatch(/^Huduma ya .* ilikatika kabla hujamaliza\. Piga \*384\*2015\*\d{6}# ndani ya dakika 30 kuendelea ulipoishia\.$/);
    expect(stack.outbound.sent.find((m) => m.idempotencyKey.startsWith('recovery:'))).toMatchObject({ to: PHONE, purpose: 'reply', inboundTriggered: true, packId: 'egov2015' });
    const digits = digitsOf(sms[0], '*384*2015#');

    const stranger = session(stack, `*384*2015*${digits}#`, OTHER);
    expect(await stranger.hop('')).toBe('END Namba hii ya kuendelea imeshatumika au muda wake umekwisha. Tafadhali piga tena kuanza upya.');

    const back = session(stack, `*384*2015*${digits}#`);
    expect(await back.hop('')).toBe('CON Tafadhali andika jina la taasisi yako:');
    await back.hop('Wizara ya Fedha');
    await back.hop('Wizara ya Fedha*1');
    expect(await back.hop('Wizara ya Fedha*1*1')).toMatch(/^CON Tafadhali hakiki:\nAsha Juma Mwinyi\nWizara ya Fedha\n/);
    expect(stack.hops.flatMap((h) => h.effects).filter((e) => e.type === 'session_recovered')).toEqual([{ type: 'session_recovered', node: 'reg_institution' }]);

    const again = session(stack, `*384*2015*${digits}#`);
    expect(await again.hop('')).toMatch(/^END Namba hii ya kuendelea imeshatumika/);
    const used = await stack.metrics.registry.getSingleMetric('kiungo_ussd_recovery_total')?.get();
    expect(Object.fromEntries((used?.values ?? []).map((v) => [v.labels.outcome, v.value]))).toEqual({ sent: 1, used: 1, refused: 2 });
  });

  test('no SMS when the session ended normally, at the home screen, or was never ours', async () => {
    stack = await createUssdStack();
    const home = session(stack, '*384*2015#');
    await home.hop('');
    await ended(stack, home.id, 'Incomplete');
    const done = session(stack, '*384*2015#');
    await done.hop('');
    await done.hop('1');
    await ended(stack, done.id, 'Success', '*384*2015#', '1');
    await ended(stack, 'ATUid_unknown', 'Failed');
    expect(recoverySms(stack)).toEqual([]);
  });

  test('a Failed session (network error) in English, on egov2016\'s *384*2016#, resumes on that code', async () => {
    stack = await createUssdStack({ defaultLanguage: 'en' });
    const cut = session(stack, '*384*2016#');
    await cut.hop('');
    const agenda = await cut.hop('2');
    await ended(stack, cut.id, 'Failed', '*384*2016#', '2');
    const sms = recoverySms(stack);
    expect(sms).toEqual([expect.stringMatching(/^Your .* session was cut off before you finished\. Dial \*384\*2016\*\d{6}# within 30 minutes to continue where you left off\.$/)]);
    const digits = digitsOf(sms[0], '*384*2016#');
    // The same digits on the other pack's code are not that pack's code.
    expect(await session(stack, `*384*2015*${digits}#`).hop('')).toMatch(/^END This continue code has been used or has expired/);
    expect(await session(stack, `*384*2016*${digits}#`).hop('')).toBe(agenda);
  });

  test('erasing the person drops their unused code (it holds the values they typed)', async () => {
    stack = await createUssdStack();
    const cut = session(stack, '*384*2015#');
    await cut.hop('');
    await cut.hop('1');
    await cut.hop('1*Asha Juma Mwinyi');
    await ended(stack, cut.id, 'Incomplete');
    const digits = digitsOf(recoverySms(stack)[0], '*384*2015#');
    expect(await createRecoveryCodes(stack.redis, stack.keys).erase('egov2015', OTHER)).toBe(0);
    expect(await createRecoveryCodes(stack.redis, stack.keys).erase('egov2015', PHONE)).toBe(1);
    expect(await session(stack, `*384*2015*${digits}#`).hop('')).toMatch(/^END Namba hii ya kuendelea/);
  });

  test('with the window at 0 no SMS is sent, and a code never issued (or expired: Redis dropped it) is refused', async () => {
    stack = await createUssdStack({ recoveryWindowS: 0 });
    const cut = session(stack, '*384*2015#');
    await cut.hop('');
    await cut.hop('2');
    await ended(stack, cut.id, 'Incomplete', '*384*2015#', '2');
    expect(recoverySms(stack)).toEqual([]);
    expect(await session(stack, '*384*2015*123456#').hop('')).toMatch(/^END Namba hii ya kuendelea/);
  });
});
