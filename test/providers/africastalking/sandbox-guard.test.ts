import nock from 'nock';
import type * as ProviderModule from '../../../src/providers/africastalking/at-sms-provider';

/** A fresh copy of the adapter and of the SDK (with its module-level URLs), as in a new process. */
function freshModule(): typeof ProviderModule {
  let loaded: typeof ProviderModule | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<typeof ProviderModule>('../../../src/providers/africastalking/at-sms-provider');
  });
  if (!loaded) throw new Error('module not loaded');
  return loaded;
}

const options = { apiKey: 'k', timeoutMs: 1_000, enqueue: true };
const reply = { SMSMessageData: { Message: 'Sent', Recipients: [{ statusCode: 101, number: '+255712345678', status: 'Success', cost: 'KES 0.8000', messageId: 'ATXid_1' }] } };

describe('sandbox leak guard', () => {
  it('a sandbox client talks to the sandbox host', async () => {
    const { createAfricasTalkingProvider } = freshModule();
    const scope = nock('https://api.sandbox.africastalking.com').post('/version1/messaging').reply(201, reply);
    const outcome = await createAfricasTalkingProvider({ username: 'sandbox', ...options }).send({ to: ['+255712345678'], message: 'x', bulk: true });
    expect(scope.isDone()).toBe(true);
    expect(outcome).toMatchObject({ kind: 'per_recipient', recipients: [{ result: 'accepted' }] });
  });

  it('refuses a live client after a sandbox one in the same process', () => {
    const { createAfricasTalkingProvider } = freshModule();
    createAfricasTalkingProvider({ username: 'Sandbox', ...options });
    expect(() => createAfricasTalkingProvider({ username: 'kiungo', ...options })).toThrow(/live client refused/);
  });

  it('refuses a sandbox client after a live one (it would switch the live one to the sandbox)', () => {
    const { createAfricasTalkingProvider } = freshModule();
    createAfricasTalkingProvider({ username: 'kiungo', ...options });
    expect(() => createAfricasTalkingProvider({ username: 'sandbox', ...options })).toThrow(
      expect.objectContaining({ code: 'SMS.PROVIDER_MISCONFIGURED' }),
    );
  });

  it('a live provider stops sending when the SDK was switched to the sandbox behind its back', async () => {
    let provider: ReturnType<typeof ProviderModule.createAfricasTalkingProvider> | undefined;
    jest.isolateModules(() => {
      const { createAfricasTalkingProvider } = jest.requireActual<typeof ProviderModule>('../../../src/providers/africastalking/at-sms-provider');
      provider = createAfricasTalkingProvider({ username: 'kiungo', ...options });
      jest.requireActual<{ enableSandbox(): void }>('africastalking/lib/common').enableSandbox();
    });
    expect(await provider?.send({ to: ['+255712345678'], message: 'x', bulk: true })).toEqual({
      kind: 'rejected', reason: 'SdkEndpointsSwitchedToOtherMode', retryable: false,
    });
  });
});
