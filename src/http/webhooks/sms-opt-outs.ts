/**
 * `POST /webhooks/africastalking/opt-outs` (mounted behind the webhook key check): AT's bulk SMS
 * opt-out callback, form `senderId, phoneNumber`. The number is suppressed for that sender. 200
 * once the opt-out is stored (an unusable number is logged and acknowledged); while Redis is down
 * it goes to the local fsync'd spool first; when neither can take it the answer is 503 with
 * Retry-After, so that AT sends it again.
 */
import { Router } from 'express';
import type { CallbackIntake } from '../../sms/callback-intake';
import type { OptOutForm } from '../../sms/outbound/outbound-module';
import { readForm } from '../../providers/africastalking/at-form';
import { acknowledgeOddBodies, atFormParser, isFormContentType } from './at-form-parser';

export type { OptOutForm } from '../../sms/outbound/outbound-module';

export interface OptOutsRouterDeps {
  intake: Pick<CallbackIntake, 'optOut'>;
  /** Told of each body that is not a readable form (counted; still answered 200). */
  onOddBody?: (problem: string) => void;
}

export function createOptOutsRouter(deps: OptOutsRouterDeps): Router {
  const router = Router();
  router.post('/', atFormParser(), async (req, res) => {
    if (!isFormContentType(req.get('content-type'))) deps.onOddBody?.('not_a_form');
    const form: OptOutForm = readForm(req.body, ['senderId', 'phoneNumber'] as const, 200);
    try {
      if ((await deps.intake.optOut(form)) === 'ignored') req.log.info({ senderId: form.senderId }, 'opt-out without a usable phone number ignored');
    } catch (error) {
      req.log.error({ err: error instanceof Error ? error.message : String(error), senderId: form.senderId }, 'opt-out not stored: asking AT to retry');
      res.status(503).set('Retry-After', '30').type('text/plain').send('Not stored; please retry');
      return;
    }
    res.status(200).type('text/plain').send('OK');
  });
  router.use(acknowledgeOddBodies((problem) => deps.onOddBody?.(problem)));
  return router;
}
