/**
 * `POST /webhooks/africastalking/delivery-reports` (mounted by compose/http.ts behind the
 * webhook key check). Always answers 200 to a well-formed form, whatever the report says:
 * unknown ids, unknown statuses, duplicates and missing fields are logged and acknowledged, since
 * any other answer makes AT retry. When Redis fails the report is kept in a retry buffer.
 */
import express, { Router } from 'express';
import type { DeliveryReportForm, ReportOutcome } from '../../sms/outbound/delivery-reports';

export interface DeliveryReportsRouterDeps {
  apply(form: DeliveryReportForm): Promise<ReportOutcome>;
  /** Where reports go when `apply` fails (Redis down). */
  fallback: { push(form: DeliveryReportForm): void };
}

const FIELDS = ['id', 'messageId', 'status', 'phoneNumber', 'networkCode', 'failureReason', 'retryCount'] as const;

/** The first string value of each known field; anything else in the body is ignored. */
export function readForm<K extends string>(body: unknown, fields: readonly K[]): Partial<Record<K, string>> {
  const source = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const out: Partial<Record<K, string>> = {};
  for (const field of fields) {
    const value = source[field];
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && first.length <= 200) out[field] = first;
  }
  return out;
}

export function createDeliveryReportsRouter(deps: DeliveryReportsRouterDeps): Router {
  const router = Router();
  router.post('/', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }), async (req, res) => {
    const form: DeliveryReportForm = readForm(req.body, FIELDS);
    try {
      const outcome = await deps.apply(form);
      req.log.debug({ outcome, providerMessageId: form.id ?? form.messageId, status: form.status }, 'delivery report');
    } catch (error) {
      deps.fallback.push(form);
      req.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'delivery report kept for retry: Redis failed');
    }
    res.status(200).type('text/plain').send('OK');
  });
  return router;
}
