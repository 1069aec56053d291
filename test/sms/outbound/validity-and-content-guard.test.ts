/**
 * Message validity and the content guard through the real pipeline and worker: what is unsent
 * when a message's validity passes is skipped `expired` and never reaches the provider; the same
 * text to the same phone is bounded across broadcasts and reminders unless forced.
 */
import { buildMessaging, eventually, FakeProvider, phones, type TestMessaging } from './helpers';

let built: TestMessaging | undefined;
let stop: (() => Promise<void>) | undefined;

afterEach(async () => {
  await stop?.();
  await built?.messaging.close();
  built = undefined;
  stop = undefined;
});

async function settled(messageId: string) {
  return eventually(async () => {
    const counts = await built!.messaging.countsByGroup(messageId);
    return counts && counts.queued === 0 && counts.sending === 0 ? counts : undefined;
  }, 15_000, 'every recipient final');
}

test('a broadcast already past its validity is skipped `expired` at once and never reaches the provider', async () => {
  const provider = new FakeProvider();
  built = buildMessaging(provider);
  stop = await built.messaging.startWorkers();
  const result = await built.messaging.outbound.enqueueMany({ idempotencyKey: 'expired-before', text: 'Kikao kimeanza', to: phones(5), validForMs: 0 });
  expect(result).toMatchObject({ state: 'skipped', reason: 'no_recipients' });
  const entries = await built.messaging.listByGroup(result.messageId);
  expect(entries.map((entry) => [entry.state, entry.reason])).toEqual(Array(5).fill(['skipped', 'expired']));
  expect(provider.calls).toHaveLength(0);
});

test('validity passing mid-send: the rest is skipped `expired`, what went out went before, nothing is sent late', async () => {
  const provider = new FakeProvider();
  // 3 per second: 12 recipients cannot all go within the 1.5 s of validity.
  built = buildMessaging(provider, { ratePerSecond: 3, batchSize: 1 });
  stop = await built.messaging.startWorkers();
  const to = phones(12, 714000000);
  const result = await built.messaging.outbound.enqueueMany({ idempotencyKey: 'expires-mid-send', text: 'Kikao kinaanza sasa', to, validForMs: 1500 });
  const counts = await settled(result.messageId);
  const entries = await built.messaging.listByGroup(result.messageId, { limit: 20 });
  const expired = entries.filter((entry) => entry.reason === 'expired');
  expect(expired.length).toBeGreaterThan(0);
  expect(counts.sent + counts.delivered + expired.length).toBe(12);
  expect(provider.recipients.sort()).toEqual(entries.filter((entry) => entry.state === 'sent').map((entry) => entry.phone).sort());
  expect(expired.some((entry) => provider.recipients.includes(entry.phone))).toBe(false);
  expect((await built.messaging.getMessage(result.messageId))?.expiresAt).toEqual(expect.any(Number));
});

test('a single reminder past its validity is skipped `expired`', async () => {
  built = buildMessaging(new FakeProvider());
  await built.messaging.ready();
  const result = await built.messaging.outbound.enqueue({ to: '+255712000111', text: 'S101 inaanza', purpose: 'reminder', idempotencyKey: 'rem-late', validForMs: -1000 });
  expect(result).toMatchObject({ state: 'skipped', reason: 'expired' });
});

test('the same text to the same phone: at most the cap in 30 minutes across broadcasts and reminders, unless forced', async () => {
  built = buildMessaging(new FakeProvider(), { contentRepeatCap: 2 });
  await built.messaging.ready();
  const to = phones(3, 715000000);
  const send = (key: string, text = 'Chakula cha mchana saa 7', force?: boolean) =>
    built!.messaging.outbound.enqueueMany({ idempotencyKey: key, text, to, ...(force ? { force } : {}) });
  expect((await send('c1')).counts.queued).toBe(3);
  expect((await send('c2')).counts.queued).toBe(3);
  const third = await send('c3');
  expect(third.counts).toMatchObject({ queued: 0, skipped: 3 });
  expect((await built.messaging.listByGroup(third.messageId)).every((entry) => entry.reason === 'repeated_content')).toBe(true);
  expect((await send('c4', undefined, true)).counts.queued).toBe(3);
  expect((await send('c5', 'Chakula cha jioni saa 1')).counts.queued).toBe(3);
  // A reminder with the same text counts too; replies to the phone's own messages never do.
  await expect(built.messaging.outbound.enqueue({ to: to[0]!, text: 'Chakula cha mchana saa 7', purpose: 'reminder', idempotencyKey: 'r1' })).resolves.toMatchObject({ state: 'skipped', reason: 'repeated_content' });
  await expect(built.messaging.outbound.enqueue({ to: to[0]!, text: 'Chakula cha mchana saa 7', purpose: 'reply', idempotencyKey: 'r2' })).resolves.toMatchObject({ state: 'queued' });
});

test('without a cap (0) the guard is off', async () => {
  built = buildMessaging(new FakeProvider(), { contentRepeatCap: 0 });
  await built.messaging.ready();
  for (const key of ['a', 'b', 'c', 'd']) expect((await built.messaging.outbound.enqueueMany({ idempotencyKey: key, text: 'same', to: ['+255712000001'] })).counts.queued).toBe(1);
});
