/**
 * The SMPP provider against a real SMSC on loopback (the `smpp` library's own server): bind,
 * GSM-7 and UCS-2, concatenation, refusals, receipts and phones' messages, enquire_link, a
 * dropped connection.
 */
import { SmppSmsProvider, type SmppProviderOptions } from '../../../src/providers/smpp/smpp-sms-provider';
import type { InboundSms } from '../../../src/sms/inbound/inbound-sms-service';
import type { DeliveryReportForm } from '../../../src/sms/outbound/delivery-reports';
import type { RecipientOutcome } from '../../../src/sms/outbound/sms-provider';
import { createLogger } from '../../../src/kernel/logger';
import { startSmsc, type TestSmsc } from '../../support/smpp-server';

const logger = createLogger('silent');
let smsc: TestSmsc | undefined;
let provider: SmppSmsProvider | undefined;

function build(url: string, overrides: Partial<SmppProviderOptions> = {}): SmppSmsProvider {
  provider = new SmppSmsProvider({
    url, systemId: 'kiungo', password: 'secret12', systemType: 'KIUNGO', sourceAddr: 'KIUNGO',
    window: 10, ratePerSecond: 1000, enquireLinkMs: 60_000, responseTimeoutMs: 2000, bindWaitMs: 3000,
    reconnect: { initialMs: 50, maxMs: 200 }, logger, ...overrides,
  });
  provider.start();
  return provider;
}

afterEach(async () => {
  await provider?.stop();
  await smsc?.close();
  provider = undefined;
  smsc = undefined;
});

async function until(check: () => boolean, label: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function accepted(outcome: RecipientOutcome | undefined): Extract<RecipientOutcome, { result: 'accepted' }> {
  if (outcome?.result !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(outcome)}`);
  return outcome;
}

test('binds as a transceiver with system_id, password and system_type, and submits GSM-7 as data_coding 0', async () => {
  smsc = await startSmsc();
  const sms = build(smsc.url);
  const outcome = await sms.send({ to: ['+255712345678', '0754000111'], message: 'Karibu AICC Arusha! Kikao S101 saa 3:00.', bulk: true });
  expect(smsc.binds).toEqual([{ systemId: 'kiungo', password: 'secret12', systemType: 'KIUNGO' }]);
  expect(outcome.kind).toBe('per_recipient');
  if (outcome.kind !== 'per_recipient') return;
  expect(outcome.recipients.map((r) => accepted(r).providerMessageId).sort()).toEqual(['smpp:M1', 'smpp:M2']);
  expect(smsc.submits.map((s) => s.destination).sort()).toEqual(['255712345678', '255754000111']);
  expect(smsc.submits.every((s) => s.dataCoding === 0 && s.text === 'Karibu AICC Arusha! Kikao S101 saa 3:00.' && s.source === 'KIUNGO' && s.registeredDelivery === 1)).toBe(true);
});

test('a text with a character outside GSM-7 goes as UCS-2 (data_coding 8) and arrives intact', async () => {
  smsc = await startSmsc();
  const sms = build(smsc.url);
  const text = 'Habari “Delegates” 🎉 karibu';
  const outcome = await sms.send({ to: ['+255712345678'], message: text, bulk: false });
  expect(outcome.kind === 'per_recipient' && accepted(outcome.recipients[0]).parts).toBe(1);
  expect(smsc.submits).toHaveLength(1);
  expect(smsc.submits[0]).toMatchObject({ dataCoding: 8, text });
});

test('a long GSM-7 text goes as concatenated parts of 153 with one UDH reference; the first part id is kept', async () => {
  smsc = await startSmsc();
  const sms = build(smsc.url);
  const text = `${'Ratiba ya siku ya kwanza: '.repeat(14)}mwisho{}`; // > 306 septets with two escaped characters at the end
  const outcome = await sms.send({ to: ['+255712345678'], message: text, bulk: true });
  const result = accepted(outcome.kind === 'per_recipient' ? outcome.recipients[0] : undefined);
  expect(result.parts).toBe(3);
  expect(result.providerMessageId).toBe('smpp:M1');
  const parts = smsc.submits;
  expect(parts).toHaveLength(3);
  expect(parts.map((p) => p.udh?.subarray(0, 3))).toEqual(parts.map(() => Buffer.from([0x00, 0x03, parts[0]?.udh?.[2] ?? -1])));
  expect(parts.map((p) => [p.udh?.[3], p.udh?.[4]])).toEqual([[3, 1], [3, 2], [3, 3]]);
  expect(parts.every((p) => (p.esmClass & 0x40) === 0x40 && p.dataCoding === 0)).toBe(true);
  expect(parts.map((p) => p.text).join('')).toBe(text);
  expect(parts.map((p) => p.registeredDelivery)).toEqual([1, 0, 0]);
});

test('a long UCS-2 text goes in parts of 67 units, never splitting an emoji', async () => {
  smsc = await startSmsc();
  const sms = build(smsc.url);
  const text = `${'😀'.repeat(33)}x${'😀'.repeat(20)}`; // 107 units: a pair would straddle unit 67
  await sms.send({ to: ['+255712345678'], message: text, bulk: true });
  expect(smsc.submits.map((p) => p.dataCoding)).toEqual([8, 8]);
  expect(smsc.submits.map((p) => p.text).join('')).toBe(text);
  expect(smsc.submits[0]?.text.length).toBe(67);
});

test('refusals: throttled is retryable, an invalid destination is permanent, an invalid number never leaves', async () => {
  smsc = await startSmsc({ status: (submit) => (submit.destination === '255712000002' ? 0x58 : submit.destination === '255712000003' ? 0x0b : 0) });
  const sms = build(smsc.url);
  const outcome = await sms.send({ to: ['+255712000001', '+255712000002', '+255712000003', '12'], message: 'hi', bulk: true });
  expect(outcome.kind === 'per_recipient' && outcome.recipients.map((r) => r.result)).toEqual(['accepted', 'failed_retryable', 'failed_permanent', 'failed_permanent']);
  expect(outcome.kind === 'per_recipient' && outcome.recipients[1]).toMatchObject({ reason: 'ESME_RTHROTTLED', statusCode: 0x58 });
  expect(smsc.submits).toHaveLength(3);
});

test('a later part refused after the first went: uncertain (part of the text is out), never retried', async () => {
  smsc = await startSmsc({ status: (_submit, count) => (count === 2 ? 0x58 : 0) });
  const sms = build(smsc.url);
  const outcome = await sms.send({ to: ['+255712345678'], message: 'x'.repeat(200), bulk: true });
  expect(outcome.kind === 'per_recipient' && outcome.recipients[0]).toMatchObject({ result: 'uncertain', reason: expect.stringMatching(/^part 2\/2 ESME_RTHROTTLED after earlier parts went$/) });
});

test('not bound (nothing listens): the call is rejected as retryable and nothing is uncertain', async () => {
  smsc = await startSmsc();
  const url = smsc.url;
  await smsc.close();
  smsc = undefined;
  const sms = build(url, { bindWaitMs: 300 });
  await expect(sms.send({ to: ['+255712345678'], message: 'hi', bulk: true })).resolves.toEqual({ kind: 'rejected', reason: 'smpp_not_bound', retryable: true });
});

test('wrong credentials are refused and the password is never logged', async () => {
  smsc = await startSmsc({ password: 'other-pw' });
  const lines: string[] = [];
  const { Writable } = await import('node:stream');
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
  const pino = (await import('pino')).default;
  const sms = build(smsc.url, { bindWaitMs: 300, logger: pino({ level: 'trace' }, sink) as never });
  await expect(sms.send({ to: ['+255712345678'], message: 'hi', bulk: true })).resolves.toMatchObject({ kind: 'rejected' });
  await until(() => lines.some((line) => line.includes('bind refused')), 'bind refusal logged');
  expect(lines.join('\n')).not.toContain('secret12');
});

test('delivery receipts become delivery reports with the ledger id; DELIVRD, UNDELIV, EXPIRED, ENROUTE map like AT statuses', async () => {
  smsc = await startSmsc();
  const sms = build(smsc.url);
  const reports: DeliveryReportForm[] = [];
  sms.handle({ deliveryReport: async (report) => { reports.push(report); }, inbound: async () => undefined });
  await sms.send({ to: ['+255712345678'], message: 'hi', bulk: true });
  expect(await smsc.receipt('M1', 'DELIVRD')).toBe(0);
  expect(await smsc.receipt('M1', 'UNDELIV', '001')).toBe(0);
  expect(await smsc.receipt('M1', 'EXPIRED')).toBe(0);
  expect(await smsc.receipt('M1', 'ENROUTE')).toBe(0);
  expect(reports).toEqual([
    { id: 'smpp:M1', status: 'Success', phoneNumber: '+255712000001' },
    { id: 'smpp:M1', status: 'Failed', failureReason: 'UNDELIV err:001', phoneNumber: '+255712000001' },
    { id: 'smpp:M1', status: 'Expired', failureReason: 'EXPIRED', phoneNumber: '+255712000001' },
    { id: 'smpp:M1', status: 'Sent', phoneNumber: '+255712000001' },
  ]);
});

test("a phone's message (deliver_sm without the receipt bit) goes to the inbound handler; a store failure asks the SMSC to retry", async () => {
  smsc = await startSmsc();
  const sms = build(smsc.url);
  const received: InboundSms[] = [];
  let failNext = true;
  sms.handle({
    deliveryReport: async () => undefined,
    inbound: async (message) => { if (failNext) { failNext = false; throw new Error('redis down'); } received.push(message); },
  });
  await sms.link.waitBound(3000);
  const fields = { source_addr: '255712345678', source_addr_ton: 1, destination_addr: '15001', esm_class: 0, short_message: 'RATIBA 2' };
  expect(await smsc.deliver(fields)).toBe(0x64);
  expect(await smsc.deliver(fields)).toBe(0);
  expect(received).toEqual([expect.objectContaining({ from: '+255712345678', to: '15001', text: 'RATIBA 2' })]);
  expect(received[0]?.id).toMatch(/^smpp-/);
});

test("a long message from a phone (UDH parts) is stored once, joined, and no part is acknowledged before that", async () => {
  smsc = await startSmsc();
  const sms = build(smsc.url, { partsWaitMs: 300 });
  const received: InboundSms[] = [];
  sms.handle({ deliveryReport: async () => undefined, inbound: async (message) => { received.push(message); } });
  await sms.link.waitBound(3000);
  const part = (sequence: number, text: string) => ({ source_addr: '255712345678', destination_addr: '15001', short_message: { udh: Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, sequence]), message: text } });
  let firstAnswered = false;
  const first = smsc.deliver(part(2, 'Mjini Arusha')).then((status) => { firstAnswered = true; return status; });
  await new Promise((resolve) => setTimeout(resolve, 100));
  // The second part (sent first) is held: not answered, not stored.
  expect(firstAnswered).toBe(false);
  expect(received).toHaveLength(0);
  expect(await smsc.deliver(part(1, 'SAJILI Asha Mushi, Halmashauri ya '))).toBe(0);
  expect(await first).toBe(0);
  expect(received).toEqual([expect.objectContaining({ from: '+255712345678', text: 'SAJILI Asha Mushi, Halmashauri ya Mjini Arusha' })]);
  // A part whose rest never comes is answered with a temporary error (the SMSC sends it again).
  expect(await smsc.deliver({ ...part(1, 'nusu'), short_message: { udh: Buffer.from([0x05, 0x00, 0x03, 0x2b, 0x02, 0x01]), message: 'nusu' } })).toBe(0x64);
  expect(received).toHaveLength(1);
});

test('enquire_link goes on a timer and is answered', async () => {
  smsc = await startSmsc();
  const sms = build(smsc.url, { enquireLinkMs: 50 });
  await sms.link.waitBound(3000);
  await until(() => sms.link.stats.enquireLinksAnswered >= 2, 'two enquire_link answers');
  expect(smsc.enquireLinks).toBeGreaterThanOrEqual(2);
});

test('a connection dropped mid-batch: submitted-but-unanswered end uncertain, unsent ones are retryable, and the link comes back', async () => {
  let dropped: unknown;
  smsc = await startSmsc({
    // Answers the first three, then holds the rest on that connection and drops it: the window still has PDUs in flight.
    beforeAnswer: (_submit, count, session) => {
      if (count <= 3) return true;
      if (!dropped) { dropped = session; setTimeout(() => session.destroy(), 20); }
      return session !== dropped;
    },
  });
  const sms = build(smsc.url, { window: 2, ratePerSecond: 200 });
  const to = Array.from({ length: 10 }, (_, n) => `+2557120000${String(n).padStart(2, '0')}`);
  const outcome = await sms.send({ to, message: 'hi', bulk: true });
  if (outcome.kind !== 'per_recipient') throw new Error(outcome.kind);
  const byResult = (result: string): string[] => outcome.recipients.filter((r) => r.result === result).map((r) => r.number);
  const written = new Set(smsc.submits.map((s) => `+${s.destination}`));
  // The first three were answered; a later one may go on the new connection once it is back.
  expect(byResult('accepted').length).toBeGreaterThanOrEqual(3);
  // The SMSC got the held one: it is uncertain, never retryable. What it never got may be either
  // (a PDU written to the socket but lost with it is uncertain too); retryable ones it never got.
  expect(byResult('uncertain').length).toBeGreaterThanOrEqual(1);
  expect([...written].every((n) => byResult('accepted').includes(n) || byResult('uncertain').includes(n))).toBe(true);
  expect(byResult('failed_retryable').every((n) => !written.has(n))).toBe(true);
  expect(byResult('accepted').length + byResult('uncertain').length + byResult('failed_retryable').length).toBe(10);
  await until(() => sms.link.stats.binds >= 2, 'rebind after the drop');
  const again = await sms.send({ to: ['+255712999999'], message: 'back', bulk: true });
  expect(again.kind === 'per_recipient' && again.recipients[0]?.result).toBe('accepted');
});
