/**
 * `POST /webhooks/africastalking/opt-outs` (mounted behind the webhook key check): AT's bulk SMS
 * opt-out callback, form `senderId, phoneNumber`. The number is suppressed for that sender. Always
 * 200 to a well-formed form; an unusable number is logged, a Redis failure goes to a retry buffer.
 */
import { Router } from 'express';
import type { OptOutForm } from '../../sms/outbound/outbound-module';
import { readForm } from '../../providers/africastalking/at-form';
import { acknowledgeOddBodies, atFormParser, isFormContentType } from './at-form-parser';

export type { OptOutForm } from '../../sms/outbound/outbound-module';

export interface OptOutsRouterDeps {
  /** Records the opt-out; resolves with false when the number is not usable. */
  apply(form: OptOutForm): Promise<boolean>;
  /** Keeps the opt-out for a later retry (Redis down). */
  fallback: { push(form: OptOutForm): void };
  /** Told of each body that is not a readable form (counted; still answered 200). */
  onOddBody?: (problem: string) => void;
}

export function createOptOutsRouter(deps: OptOutsRouterDeps): Router {
  const router = Router();
  router.post('/', atFormParser(), async (req, res) => {
    if (!isFormContentType(req.get('content-type'))) deps.onOddBody?.('not_a_form');
    const form: OptOutForm = readForm(req.body, ['senderId', 'phoneNumber'] as const, 200);
    try {
      if (!(await deps.apply(form))) req.log.info({ senderId: form.senderId }, 'opt-out without a usable phone number ignored');
    } catch (error) {
      deps.fallback.push(form);
      req.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'opt-out kept for retry: Redis failed');
    }
    res.status(200).type('text/plain').send('OK');
  });
  router.use(acknowledgeOddBodies((problem) => deps.onOddBody?.(problem)));
  return router;
}
