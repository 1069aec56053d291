/**
 * `POST /webhooks/africastalking/delivery-reports` (mounted by compose/http.ts behind the
 * webhook key check). Answers 200 once the report is stored, whatever it says: unknown ids,
 * unknown statuses, duplicates and missing fields are logged and acknowledged, since any other
 * answer makes AT retry. While Redis is down the report goes to the local fsync'd spool first;
 * when neither can take it the answer is 503 with Retry-After, so that AT sends it again.
 */
import { Router } from 'express';
import type { CallbackIntake } from '../../sms/callback-intake';
import type { DeliveryReportForm } from '../../sms/outbound/delivery-reports';
import { readForm } from '../../providers/africastalking/at-form';
import { acknowledgeOddBodies, atFormParser, isFormContentType } from './at-form-parser';

export interface DeliveryReportsRouterDeps {
  intake: Pick<CallbackIntake, 'deliveryReport'>;
  /** Told of each body that is not a readable form (counted; still answered 200). */
  onOddBody?: (problem: string) => void;
}

const FIELDS = ['id', 'messageId', 'status', 'phoneNumber', 'networkCode', 'failureReason', 'retryCount'] as const;

/** Longest value a report field may have; longer ones are dropped as garbage. */
const MAX_FIELD_LENGTH = 200;

export function createDeliveryReportsRouter(deps: DeliveryReportsRouterDeps): Router {
  const router = Router();
  router.post('/', atFormParser(), async (req, res) => {
    if (!isFormContentType(req.get('content-type'))) deps.onOddBody?.('not_a_form');
    const form: DeliveryReportForm = readForm(req.body, FIELDS, MAX_FIELD_LENGTH);
    try {
      const outcome = await deps.intake.deliveryReport(form);
      req.log.debug({ outcome, providerMessageId: form.id ?? form.messageId, status: form.status }, 'delivery report');
    } catch (error) {
      req.log.error({ err: error instanceof Error ? error.message : String(error), providerMessageId: form.id ?? form.messageId }, 'delivery report not stored: asking AT to retry');
      res.status(503).set('Retry-After', '30').type('text/plain').send('Not stored; please retry');
      return;
    }
    res.status(200).type('text/plain').send('OK');
  });
  router.use(acknowledgeOddBodies((problem) => deps.onOddBody?.(problem)));
  return router;
}
