/**
 * Exactly once with several gateways: three instances (API + workers each) share one Redis; the
 * same subscription arrives through each of them, and the reminder still reaches the phone once.
 */
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { uniquePrefix } from '../../support/redis';
import { startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const DUE = Date.parse('2015-08-17T06:00:00.000Z'); // S102 at 09:30 EAT, 30 minutes' lead

describe('reminders across several gateway processes', () => {
  const stacks: GatewayStack[] = [];
  afterAll(async () => {
    for (const stack of stacks.slice(1)) await stack.gateway.close();
    await stacks[0]?.close();
  });

  it('sends one reminder however many instances schedule and fire it', async () => {
    const prefix = uniquePrefix('many');
    for (let i = 0; i < 3; i++) stacks.push(await startGatewayStack({ prefix, now: new Date(DUE - 1500).toISOString(), env: { DIGEST_TIME: 'off' } }));
    const phone = '+255719000001';
    for (const stack of stacks) {
      await stack.gateway.services.reminders.subscribe('egov2015', phone, 'S102');
      await stack.gateway.services.scheduler.onSubscriptionChanged('egov2015', phone, 'S102', true);
    }
    for (const stack of stacks) stack.clock.set(new Date(DUE + 1000).toISOString());
    const first = stacks[0] as GatewayStack;
    const deadline = Date.now() + 10000;
    let messages: string[] = [];
    while (messages.length === 0 && Date.now() < deadline) {
      messages = (await listOutbox(first.gateway.redis, first.gateway.keys, { phone, limit: 10 })).map((m) => m.message);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(messages).toHaveLength(1);
    // Give every worker time to (wrongly) fire a second copy before concluding.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await listOutbox(first.gateway.redis, first.gateway.keys, { phone, limit: 10 })).map((m) => m.message)).toEqual(messages);
    expect(messages[0]).toMatch(/S102/);
  }, 30000);
});
