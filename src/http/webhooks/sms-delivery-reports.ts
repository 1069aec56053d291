/**
 * `POST /webhooks/africastalking/delivery-reports` (mounted by compose/http.ts behind the
 * webhook key check). Always answers 200 to a well-formed form, whatever the report says:
 * unknown ids, unknown statuses, duplicates and missing fields are logged and acknowledged, since
 * any other answer makes AT retry. When Redis fails the report is kept in a retry buffer.
 */
import { Router } from 'express';
import type { DeliveryReportForm, ReportOutcome } from '../../sms/outbound/delivery-reports';
import { readForm } from '../../providers/africastalking/at-form';
import { acknowledgeOddBodies, atFormParser, isFormContentType } from './at-form-parser';

export interface DeliveryReportsRouterDeps {
  apply(form: DeliveryReportForm): Promise<ReportOutcome>;
  /** Where reports go when `apply` fails (Redis down). */
  fallback: { push(form: DeliveryReportForm): void };
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
      const outcome = await deps.apply(form);
      req.log.debug({ outcome, providerMessageId: form.id ?? form.messageId, status: form.status }, 'delivery report');
    } catch (error) {
      deps.fallback.push(form);
      req.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'delivery report kept for retry: Redis failed');
    }
    res.status(200).type('text/plain').send('OK');
  });
  router.use(acknowledgeOddBodies((problem) => deps.onOddBody?.(problem)));
  return router;
}
