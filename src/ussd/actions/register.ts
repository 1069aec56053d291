/** Registers the caller (or finds their registration) and queues the confirmation SMS with the code. */
import { renderTemplate } from '../../engine';
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
    const template = call.pack.messages[call.lang]['sms.registered'];
    if (template) {
      const text = renderTemplate(template, {
        'delegate.name': delegate.name,
        'delegate.code': delegate.code,
        'event.name': call.pack.event.shortName[call.lang],
      });
      await deps.outbound
        .enqueue({ to: call.phone, text, purpose: 'confirmation', idempotencyKey: `register:${call.pack.id}:${call.phone}:${delegate.code}` })
        .catch((error: unknown) => deps.logger.error({ err: error }, 'registration SMS not queued'));
    }
  }
  return { result: result.status === 'created' ? 'ok' : 'exists', values: { code: delegate.code } };
};
