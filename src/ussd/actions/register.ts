/** Registers the caller (or finds their registration) and queues the confirmation SMS with the code. */
import { delegateVariables, renderMessage } from '../../event/catalogue';
import { param, type HostAction } from './types';

export const register: HostAction = async (call, deps) => {
  const result = await deps.delegates.register(
    call.pack.id,
    {
      phone: call.phone,
      name: param(call, 'name'),
      institution: param(call, 'institution'),
      institutionType: param(call, 'institutionType'),
      cohort: param(call, 'cohort'),
      language: call.lang,
      channel: 'ussd',
    },
    deps.clock.now(),
  );
  const { delegate } = result;
  if (result.status === 'created') {
    // The same text, with the same variables, as the SMS `SAJILI` confirmation.
    if (call.pack.messages[call.lang]['sms.registered'] !== undefined) {
      const text = renderMessage(call.pack, call.lang, 'sms.registered', delegateVariables(call.pack.event, delegate, call.lang));
      // The caller's own dialling caused it: it counts against their hourly cap like an SMS reply.
      const capNotice = call.pack.messages[call.lang]['sms.cap_reached'] !== undefined ? { capNotice: renderMessage(call.pack, call.lang, 'sms.cap_reached', {}) } : {};
      await deps.outbound
        .enqueue({ to: call.phone, text, purpose: 'confirmation', idempotencyKey: `register:${call.pack.id}:${call.phone}:${delegate.code}`, packId: call.pack.id, inboundTriggered: true, ...capNotice })
        .catch((error: unknown) => deps.logger.error({ err: error }, 'registration SMS not queued'));
    }
  }
  return { result: result.status === 'created' ? 'ok' : 'exists', values: { code: delegate.code } };
};
