/**
 * The morning digest (DIGEST_TIME, local time) lists the day's subscribed sessions once, in each
 * person's language; a reminder for a registered English speaker comes in English.
 */
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const DIGEST_AT = Date.parse('2015-08-17T04:00:00.000Z'); // 07:00 in Arusha

describe('morning digest', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ now: new Date(DIGEST_AT - 1500).toISOString(), env: { DIGEST_TIME: '07:00' } });
  });
  afterAll(async () => { await stack.close(); });

  it('sends each subscriber one digest of the day, in their language', async () => {
    const { delegates, reminders, scheduler } = stack.gateway.services;
    const english = '+255719100001';
    const swahili = '+255719100002';
    await delegates.register('egov2015', { phone: english, name: 'John Mrema', institution: 'eGA', institutionType: 'agency', cohort: '1', language: 'en', channel: 'import' }, stack.clock.now());
    for (const phone of [english, swahili]) for (const code of ['S101', 'S102']) await reminders.subscribe('egov2015', phone, code);
    await scheduler.scheduleDigests('egov2015');
    await scheduler.scheduleDigests('egov2015');
    stack.clock.set(new Date(DIGEST_AT + 1000).toISOString());
    const inboxOf = async (phone: string) => (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 10 })).map((m) => m.message);
    const en = await eventually(async () => (await inboxOf(english))[0], 10000, 'the English digest');
    const sw = await eventually(async () => (await inboxOf(swahili))[0], 10000, 'the Kiswahili digest');
    expect(en).toMatch(/^Good morning\. Your sessions today, 17\/8 \(Sample agenda\):\n08:30 S101 [^\n]+\n09:30 S102 /);
    expect(sw).toMatch(/^Habari za asubuhi\. Vikao vyako leo 17\/8 \(Ratiba ya mfano\):\n08:30 S101 [^\n]+\n09:30 S102 /);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await inboxOf(english)).toHaveLength(1);
    expect(await inboxOf(swahili)).toHaveLength(1);
    // Both digests count in the pack's SMS figures.
    const { messaging } = stack.gateway.services;
    const ids = await messaging.listMessages({ packId: 'egov2015' });
    expect(await Promise.all(ids.map(async (id) => (await messaging.getMessage(id))?.purpose))).toEqual(['reminder', 'reminder']);
  });
});
