/**
 * `POST /webhooks/africastalking/sms`: incoming SMS. Answers 200 only once the message is stored:
 * queued in Redis, or in the local fsync'd spool while Redis is down (replayed when it returns);
 * the reply comes from the worker. Odd bodies get 200 with a logged reason (AT would only retry
 * them); when neither Redis nor the spool can take the message the answer is 503, so that AT
 * retries instead of the message being lost.
 */
import { createHash } from 'node:crypto';
import express, { type ErrorRequestHandler, type Router } from 'express';
import { normalisePhone } from '../../kernel/phone';
import { cleanMultiline } from '../../kernel/text/clean';
import { firstValue, formRecord } from '../../providers/africastalking/at-form';
import type { CallbackIntake } from '../../sms/callback-intake';
import type { InboundSms } from '../../sms/inbound/inbound-sms-service';
import { refuseJson, webhookAuth, type KeyFailures } from './webhook-auth';
import { atFormParser } from './at-form-parser';
import { sendError } from '../error-middleware';

export interface InboundSmsRouterDeps {
  intake: Pick<CallbackIntake, 'inboundSms'>;
  webhookKey: string | undefined;
  ipAllowList: readonly string[];
  keyFailures?: KeyFailures;
}

/** A field's text with control characters (C0, C1) and direction marks removed (line breaks kept). */
function field(body: Record<string, unknown>, name: string): string {
  return cleanMultiline(firstValue(body[name]) ?? '');
}

/** Reads AT's form into an InboundSms, or says why it cannot. */
export function readInboundSms(body: unknown): { ok: true; sms: InboundSms } | { ok: false; reason: string } {
  const form = formRecord(body);
  const rawFrom = field(form, 'from').trim().replace(/^ (?=\d)/, '+');
  const from = normalisePhone(rawFrom);
  if (!from.ok) return { ok: false, reason: `sender ${from.reason}` };
  const text = field(form, 'text').slice(0, 2000);
  const to = field(form, 'to').trim();
  const date = field(form, 'date');
  const id = field(form, 'id').trim() || `nohash_${createHash('sha1').update(`${from.e164}|${to}|${date}|${text}`).digest('hex').slice(0, 24)}`;
  const sms: InboundSms = { id: id.slice(0, 128), from: from.e164, to, text, date };
  const linkId = field(form, 'linkId');
  const networkCode = field(form, 'networkCode');
  if (linkId) sms.linkId = linkId;
  if (networkCode) sms.networkCode = networkCode;
  return { ok: true, sms };
}

export function createInboundSmsRouter(deps: InboundSmsRouterDeps): Router {
  const router = express.Router();
  router.post(
    '/sms',
    webhookAuth({ key: deps.webhookKey, ipAllowList: deps.ipAllowList, onRefused: refuseJson, ...(deps.keyFailures ? { keyFailures: deps.keyFailures } : {}) }),
    atFormParser(),
    async (req: express.Request, res: express.Response) => {
      const read = readInboundSms(req.body);
      if (!read.ok) {
        req.log.warn({ reason: read.reason }, 'inbound SMS ignored');
        res.status(200).json({ status: 'ignored', reason: read.reason });
        return;
      }
      try {
        res.status(200).json({ status: await deps.intake.inboundSms(read.sms) });
      } catch (error) {
        req.log.error({ err: (error as Error).message, smsId: read.sms.id }, 'inbound SMS not stored: asking AT to retry');
        res.set('Retry-After', '30');
        sendError(res, 'SMS.UNAVAILABLE', 'Temporarily unable to store the message; please retry.');
      }
    },
  );
  const bodyErrors: ErrorRequestHandler = (error, req, res, _next) => {
    req.log.warn({ err: (error as Error).message }, 'unreadable inbound SMS body');
    res.status(200).json({ status: 'ignored', reason: 'unreadable body' });
  };
  router.use(bodyErrors);
  return router;
}
