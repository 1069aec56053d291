/** The route chain's rules, with scripted providers: when it moves to the next route and when it never does. */
import { createRouteChain } from '../../../src/sms/outbound/route-chain';
import type { SendOutcome } from '../../../src/sms/outbound/sms-provider';
import { FakeProvider, acceptAll, silentLogger } from './helpers';

const sms = { to: ['+255712000001', '+255712000002'], message: 'Habari', bulk: true };
const refused = (): SendOutcome => ({ kind: 'rejected', reason: 'HTTP 503', retryable: true });

test('a refused call goes to the next route at once; after `failures` in a row the first route is skipped until its trial call', async () => {
  const first = new FakeProvider(refused);
  const second = new FakeProvider();
  const chain = createRouteChain([{ name: 'africastalking', provider: first }, { name: 'smpp', provider: second }], { failures: 2, openMs: 150, logger: silentLogger });
  for (let n = 0; n < 4; n++) expect(await chain.send(sms)).toMatchObject({ kind: 'per_recipient', route: 'smpp' });
  expect(first.calls).toHaveLength(2); // the breaker opened after two refusals: calls 3 and 4 skipped it
  expect(chain.states()).toEqual([{ route: 'africastalking', state: 'down' }, { route: 'smpp', state: 'up' }]);
  first.behaviour = acceptAll;
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await chain.send(sms)).toMatchObject({ kind: 'per_recipient', route: 'africastalking' });
  expect(chain.states()[0]).toEqual({ route: 'africastalking', state: 'up' });
});

test('an uncertain call stays with its route: never handed to the next one', async () => {
  const first = new FakeProvider(() => ({ kind: 'uncertain', reason: 'timeout' }));
  const second = new FakeProvider();
  const chain = createRouteChain([{ name: 'africastalking', provider: first }, { name: 'smpp', provider: second }], { failures: 5, openMs: 60_000, logger: silentLogger });
  expect(await chain.send(sms)).toEqual({ kind: 'uncertain', reason: 'timeout', route: 'africastalking' });
  expect(second.calls).toHaveLength(0);
});

test('every route refuses: the last refusal stands; once a route is skipped while down, the call is retryable so nothing fails for good', async () => {
  const last = new FakeProvider(() => ({ kind: 'rejected', reason: 'Unauthorized', retryable: false }));
  const chain = createRouteChain([{ name: 'a', provider: new FakeProvider(refused) }, { name: 'b', provider: last }], { failures: 1, openMs: 60_000, logger: silentLogger });
  expect(await chain.send(sms)).toMatchObject({ kind: 'rejected', retryable: false, route: 'b' });
  expect(await chain.send(sms)).toEqual({ kind: 'rejected', reason: 'Unauthorized', retryable: true, route: 'b' });
  // The last route is called even with its breaker open: skipping it would only delay.
  expect(last.calls).toHaveLength(2);
  expect(chain.states()).toEqual([{ route: 'a', state: 'down' }, { route: 'b', state: 'down' }]);
});

test('a single route is never skipped by its breaker', async () => {
  const only = new FakeProvider(refused);
  const chain = createRouteChain([{ name: 'africastalking', provider: only }], { failures: 1, openMs: 60_000, logger: silentLogger });
  for (let n = 0; n < 3; n++) await chain.send(sms);
  expect(only.calls).toHaveLength(3);
});

test('per-recipient refusals (an invalid number) do not count against a route', async () => {
  const first = new FakeProvider((request) => ({ kind: 'per_recipient', recipients: request.to.map((number) => ({ number, result: 'failed_permanent', reason: 'InvalidPhoneNumber' })) }));
  const chain = createRouteChain([{ name: 'a', provider: first }, { name: 'b', provider: new FakeProvider() }], { failures: 1, openMs: 60_000, logger: silentLogger });
  await chain.send(sms);
  await chain.send(sms);
  expect(first.calls).toHaveLength(2);
  expect(chain.states()[0]?.state).toBe('up');
});
